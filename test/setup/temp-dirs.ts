// Every test file removes the temporary directories it made with tempDir once it has run.
import { afterAll } from 'vitest';
import { removeTempDirs } from '../temp-dir.js';

afterAll(removeTempDirs);
