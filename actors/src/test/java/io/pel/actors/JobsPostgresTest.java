package io.pel.actors;

import static io.pel.actors.JobsTest.DOUBLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpointed jobs on a PostgreSQL job store, each test in a database of its own ({@link PostgresStore});
 * skipped, saying why, when no PostgreSQL server answers.
 */
class JobsPostgresTest {

  @TempDir Path dataDir;

  private ExecutionLayer start(PostgresStore store, String extra) {
    return Layers.start(store.hocon() + "pel.data-dir = \"" + dataDir.toString().replace('\\', '/') + "\"\n"
        + "pel.workers-per-node = 2\n" + extra);
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  /** The URL as the store's messages give it: without parameters. */
  private static String location(PostgresStore store) {
    return store.url().split("\\?")[0];
  }

  @Test
  void aJobRunsOnAPostgresStoreWhoseTablesTheFirstStartCreates() throws Exception {
    try (PostgresStore store = PostgresStore.create()) {
      try (ExecutionLayer layer = start(store, "")) {
        layer.register(DOUBLE, (x, ctx) -> 2 * x);
        Layers.await(layer.jobs().submit("pg-doubles", DOUBLE, range(200)));
        List<TaskOutcome<Integer>> results = Layers.await(layer.jobs().results("pg-doubles", DOUBLE));
        assertEquals(200, results.size());
        for (int i = 0; i < 200; i++) assertEquals(2 * i, results.get(i).result(), "result of task " + i);
        assertEquals(JobState.COMPLETED, Layers.await(layer.jobs().status("pg-doubles")).state());
      }
      Set<String> tables = tables(store);
      assertTrue(tables.containsAll(List.of("event_journal", "event_tag", "snapshot", "pel_store")), "tables: " + tables);
      try (Connection c = store.connect(); Statement s = c.createStatement();
           ResultSet r = s.executeQuery("SELECT COUNT(*) FROM event_journal WHERE persistence_id = 'pel-job|pg-doubles'")) {
        r.next();
        assertTrue(r.getLong(1) > 0, "the job's events are in the PostgreSQL journal");
      }
    }
  }

  @Test
  void aJobLeftUnfinishedByAClosedLayerResumesInTheNextOnTheSameDatabase() throws Exception {
    try (PostgresStore store = PostgresStore.create()) {
      JobsTest.resumesInANewLayer(extra -> start(store, extra), "pg-resumed", 60, 20);
    }
  }

  @Test
  void aDatabaseWithJournalTablesPelDidNotCreateIsRefusedAndLeftAsItIs() throws Exception {
    try (PostgresStore store = PostgresStore.create()) {
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE event_journal (id BIGINT PRIMARY KEY, payload TEXT)");
        s.execute("INSERT INTO event_journal VALUES (1, 'someone else''s')");
      }
      try (ExecutionLayer layer = start(store, "")) {
        layer.register(DOUBLE, (x, ctx) -> 2 * x);
        JobStoreException e = assertThrows(JobStoreException.class, layer::jobs);
        assertTrue(e.getMessage().contains(location(store)), e.getMessage());
        assertTrue(e.getMessage().contains("not a PEL job store"), e.getMessage());
        assertEquals(42, Layers.await(layer.submit(DOUBLE, 21)), "the layer runs tasks without its job store");
      }
      assertEquals(Set.of("event_journal"), tables(store), "PEL created nothing");
      try (Connection c = store.connect(); Statement s = c.createStatement();
           ResultSet r = s.executeQuery("SELECT payload FROM event_journal")) {
        assertTrue(r.next());
        assertEquals("someone else's", r.getString(1));
      }
    }
  }

  @Test
  void aWrongPasswordIsAJobStoreExceptionNamingTheUrl() throws Exception {
    try (PostgresStore store = PostgresStore.create()) {
      String wrong = "not-" + store.password();
      try (Connection c = DriverManager.getConnection(store.url(), store.user(), wrong)) {
        Assumptions.assumeTrue(false, "the server at " + store.url() + " does not check passwords");
      } catch (SQLException expected) {
        // the server refuses it, as it should
      }
      try (ExecutionLayer layer = start(store, "pel.jobs.password = \"" + wrong + "\"")) {
        JobStoreException e = assertThrows(JobStoreException.class, layer::jobs);
        assertTrue(e.getMessage().contains(location(store)), e.getMessage());
        assertTrue(e.getMessage().contains("password"), e.getMessage());
        assertTrue(!e.getMessage().contains(wrong), "the message does not show the password: " + e.getMessage());
      }
    }
  }

  @Test
  void aStoreOpensAgainWhenASchemaNamedAfterTheUserIsFirstOnTheSearchPath() throws Exception {
    try (PostgresStore store = PostgresStore.create()) {
      try (Connection c = store.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA AUTHORIZATION " + store.user()); // search_path "$user", public now finds it first
      }
      for (String jobId : List.of("pg-first", "pg-second")) {
        try (ExecutionLayer layer = start(store, "")) {
          layer.register(DOUBLE, (x, ctx) -> 2 * x);
          Layers.await(layer.jobs().submit(jobId, DOUBLE, range(3)));
          assertEquals(4, Layers.await(layer.jobs().results(jobId, DOUBLE)).get(2).result());
        }
      }
      assertTrue(tables(store).contains("pel_store"), "the marker is in public, beside the journal: " + tables(store));
    }
  }

  /** The tables in the database's public schema. */
  private static Set<String> tables(PostgresStore store) throws SQLException {
    Set<String> tables = new TreeSet<>();
    try (Connection c = store.connect(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
      while (r.next()) tables.add(r.getString(1));
    }
    return tables;
  }
}
