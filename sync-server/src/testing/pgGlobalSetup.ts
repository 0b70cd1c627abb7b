/**
 * Vitest global setup: with `VIGIE_TEST_STORE=postgres`, one PostgreSQL cluster for the whole
 * run (each test then creates its own database in it: `testDatabase()`), stopped by PID at the
 * end, with the national demo seeded in it first when `VIGIE_TEST_PG_DEMO=1`. Without it,
 * nothing starts here (a PostgreSQL-only test file starts its own cluster).
 */
import { postgresUnavailable, startPostgres, type PostgresCluster } from './postgres';

let cluster: PostgresCluster | undefined;

export async function setup(): Promise<void> {
  if (process.env.VIGIE_TEST_STORE !== 'postgres' || process.env.VIGIE_TEST_PG_URL) return;
  const why = postgresUnavailable();
  if (why) {
    console.warn(`VIGIE_TEST_STORE=postgres : ${why}`);
    return;
  }
  cluster = await startPostgres();
  // Workers start after this and inherit the environment.
  process.env.VIGIE_TEST_PG_URL = cluster.url;
  // The PostgreSQL pass of `npm test`: the demo template seeded before any test, so that no
  // test's own time budget pays for it (`demoTestDb`; otherwise the first test that needs it seeds it).
  if (process.env.VIGIE_TEST_PG_DEMO === '1') {
    const { demoTestDb } = await import('./stores');
    await demoTestDb();
  }
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
}
