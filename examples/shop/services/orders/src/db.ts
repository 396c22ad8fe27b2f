import pg from 'pg';
import { config } from './config.js';

export const pool = new pg.Pool({
  connectionString: config.database.url,
  max: 20,
  connectionTimeoutMillis: 2_000,
  statement_timeout: config.database.statementTimeoutMs,
});
