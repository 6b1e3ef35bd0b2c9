import { keyOrderSpec } from './key-order-spec.js';
import { serverDatabase } from './server.js';

keyOrderSpec('PostgreSQL server', serverDatabase('key_order'));
