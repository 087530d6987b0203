// Prints the URL of a test database on the PostgreSQL at 127.0.0.1:5432
// (creating the database if missing), or nothing when no server answers there,
// in which case the tests start an embedded PostgreSQL.
import pg from "pg";

const server = process.env.CI_PG_SERVER_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const database = "hindcast_test";
const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 3000 });
try {
  await client.connect();
} catch (error) {
  console.error(`ci: no PostgreSQL at ${server} (${error.code ?? error.message}); tests will use the embedded one`);
  process.exit(0);
}
const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [database]);
if (!rowCount) await client.query(`create database ${database}`);
await client.end();
const url = new URL(server);
url.pathname = `/${database}`;
console.log(url.toString());
