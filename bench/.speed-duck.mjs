import { DuckDBInstance } from '@duckdb/node-api';
const [dbfile, threads, list] = process.argv.slice(2);
const inst = await DuckDBInstance.create(dbfile, { threads: String(threads) });
const con = await inst.connect();
const files = list.split('\n').filter((f) => f !== '');
const arr = '[' + files.map((f) => `'${f.replace(/'/g, "''")}'`).join(',') + ']';
const t0 = performance.now();
await con.run(`CREATE TABLE fact AS SELECT * FROM read_csv(${arr}, header = true,
  columns = {'period': 'VARCHAR', 'area': 'INTEGER', 'scope': 'VARCHAR',
  'use': 'VARCHAR', 'relation': 'VARCHAR', 'person_times': 'BIGINT',
  'amount': 'DECIMAL(18,2)'})`);
await con.run('CHECKPOINT');
const t1 = performance.now();
process.stderr.write(`query_ms ${(t1 - t0).toFixed(0)}\n`);
