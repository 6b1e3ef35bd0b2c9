import { projectionCacheLimitsSpec } from './projection-cache-limits-spec.js';
import { projectionCacheSpec } from './projection-cache-spec.js';
import { serverDatabase } from './server.js';

const open = serverDatabase('proj_cache');
projectionCacheSpec('PostgreSQL server', open, 20);
projectionCacheLimitsSpec('PostgreSQL server', open);
