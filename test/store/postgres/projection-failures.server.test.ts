import { projectionFailuresSpec } from './projection-failures-spec.js';
import { serverDatabase } from './server.js';

projectionFailuresSpec('PostgreSQL server', serverDatabase('proj_failures'));
