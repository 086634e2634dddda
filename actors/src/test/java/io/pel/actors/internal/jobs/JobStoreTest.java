package io.pel.actors.internal.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.JobStoreException;
import io.pel.actors.Layers;
import io.pel.actors.TaskType;
import io.pel.cluster.InvalidSettingException;
import io.pel.cluster.PelNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job store refuses what is not a PEL job store, names it, and leaves it as it was. */
class JobStoreTest {

  @TempDir Path dir;

  private JobSettings settings(String extra) {
    return JobSettings.fromConfig(PelNode.config(ConfigFactory.parseString(
        "pel.data-dir = \"" + dir.toString().replace('\\', '/') + "\"\n" + extra), Map.of()));
  }

  @Test
  void aFirstStartCreatesTheDataDirectoryAndAnEmptyStoreThatOpensAgain() {
    Path nested = dir.resolve("a/b");
    JobSettings settings = JobSettings.fromConfig(PelNode.config(ConfigFactory.parseString(
        "pel.data-dir = \"" + nested.toString().replace('\\', '/') + "\""), Map.of()));
    JobStore.open(settings);
    assertTrue(Files.isRegularFile(nested.resolve("pel-jobs.mv.db")));
    JobStore.open(settings); // a second open finds the marker and the tables
  }

  @Test
  void aPingAnswersWhileTheStoreIsThereAndFailsOnceItsServerIsGone() throws Exception {
    org.h2.tools.Server server = org.h2.tools.Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.resolve("h2").toString(), "-ifNotExists").start();
    JobStore store;
    try {
      store = JobStore.open(settings("pel.jobs.url = \"jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/pel-jobs\""));
      store.ping(2);
    } finally {
      server.stop();
    }
    java.sql.SQLException gone = assertThrows(java.sql.SQLException.class, () -> store.ping(2));
    assertTrue(gone.getMessage() != null && !gone.getMessage().isEmpty(), gone.toString());
  }

  @Test
  void aFileThatIsNotAnH2DatabaseIsRefusedByNameAndLeftUntouched() throws Exception {
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);
    Path file = dir.resolve("pel-jobs.mv.db");
    Files.write(file, garbage);
    JobStoreException e = assertThrows(JobStoreException.class, () -> JobStore.open(settings("")));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not an H2 database file"), e.getMessage());
    assertArrayEquals(garbage, Files.readAllBytes(file));
  }

  @Test
  void anH2FileCorruptPastItsHeaderIsRefusedByName() throws Exception {
    Path file = dir.resolve("pel-jobs.mv.db");
    byte[] bytes = new byte[8192];
    new Random(11).nextBytes(bytes);
    byte[] header = "H:2,blockSize:1000,created:1,format:3,version:1,fletcher:0\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(header, 0, bytes, 0, header.length);
    Files.write(file, bytes);
    JobStoreException e = assertThrows(JobStoreException.class, () -> JobStore.open(settings("")));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("cannot be used"), e.getMessage());
    assertArrayEquals(bytes, Files.readAllBytes(file));
  }

  @Test
  void anotherApplicationsH2DatabaseIsRefusedAsForeign() throws Exception {
    JobSettings settings = settings("");
    try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), "", ""); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100))");
      s.execute("INSERT INTO customers VALUES (1, 'Ada')");
    }
    JobStoreException e = assertThrows(JobStoreException.class, () -> JobStore.open(settings));
    assertTrue(e.getMessage().contains(settings.h2File().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not a PEL job store") && e.getMessage().contains("CUSTOMERS"), e.getMessage());
    try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), "", ""); Statement s = c.createStatement();
         var rows = s.executeQuery("SELECT name FROM customers")) {
      assertTrue(rows.next());
      assertEquals("Ada", rows.getString(1), "the foreign data is untouched");
    }
  }

  @Test
  void aStoreWhoseTablesAnotherNodeIsStillCreatingIsWaitedFor() throws Exception {
    JobSettings settings = settings("");
    inCreation(settings);
    int[] pauses = {0};
    JobStore.open(settings, millis -> {
      assertEquals(JobStore.CREATION_POLL_MILLIS, millis);
      if (++pauses[0] == 3) { // the other node gets to its marker
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), "", ""); Statement s = c.createStatement()) {
          s.execute("CREATE TABLE \"PUBLIC\".\"pel_store\" (\"format\" INTEGER NOT NULL, \"created\" BIGINT NOT NULL)");
          s.execute("INSERT INTO \"PUBLIC\".\"pel_store\" VALUES (1, 0)");
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    });
    assertEquals(3, pauses[0], "it looked again until the marker was there");
  }

  @Test
  void journalTablesWithoutAMarkerThatStaySoAreRefusedOnceTheWaitIsOver() throws Exception {
    JobSettings settings = settings("");
    inCreation(settings);
    int[] pauses = {0};
    JobStoreException e = assertThrows(JobStoreException.class, () -> JobStore.open(settings, millis -> pauses[0]++));
    assertTrue(e.getMessage().contains("not a PEL job store"), e.getMessage());
    assertEquals(JobStore.CREATION_WAIT_MILLIS / JobStore.CREATION_POLL_MILLIS, pauses[0], "it waited its time, on the test's clock");
  }

  /** PEL's tables without the marker: what another node's creation looks like midway, on H2. */
  private static void inCreation(JobSettings settings) throws Exception {
    JobStore.open(settings);
    try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), "", ""); Statement s = c.createStatement()) {
      s.execute("DROP TABLE \"PUBLIC\".\"pel_store\"");
    }
  }

  @Test
  void aStoreOfAnotherFormatIsRefused() throws Exception {
    JobSettings settings = settings("");
    JobStore.open(settings);
    try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), "", ""); Statement s = c.createStatement()) {
      s.execute("UPDATE \"pel_store\" SET \"format\" = 99");
    }
    JobStoreException e = assertThrows(JobStoreException.class, () -> JobStore.open(settings));
    assertTrue(e.getMessage().contains("format 99"), e.getMessage());
  }

  @Test
  void badJobSettingsNameTheirKey() {
    assertEquals("pel.jobs.store", assertThrows(InvalidSettingException.class, () -> settings("pel.jobs.store = mongo")).setting());
    assertEquals("pel.jobs.url", assertThrows(InvalidSettingException.class,
        () -> settings("pel.jobs.store = postgresql\npel.jobs.url = \"\"")).setting());
    assertEquals("pel.jobs.url", assertThrows(InvalidSettingException.class, () -> settings("pel.jobs.url = \"jdbc:mysql://x\"")).setting());
    assertEquals("pel.jobs.max-in-flight-per-job", assertThrows(InvalidSettingException.class,
        () -> settings("pel.jobs.max-in-flight-per-job = 0")).setting());
    assertEquals("pel.jobs.retention", assertThrows(InvalidSettingException.class, () -> settings("pel.jobs.retention = soon")).setting());
  }

  @Test
  void aLayerWhoseStoreIsCorruptRefusesJobsAtStartUpAndRunsTasksOn() throws Exception {
    Files.write(dir.resolve("pel-jobs.mv.db"), "not a database".getBytes(StandardCharsets.US_ASCII));
    TaskType<Integer, Integer> inc = TaskType.of("store-test-inc", Integer.class, Integer.class);
    try (ExecutionLayer layer = Layers.start("pel.data-dir = \"" + dir.toString().replace('\\', '/') + "\"")) {
      layer.register(inc, (x, ctx) -> x + 1);
      JobStoreException e = assertThrows(JobStoreException.class, layer::jobs);
      assertTrue(e.getMessage().contains("pel-jobs.mv.db"), e.getMessage());
      assertEquals(42, Layers.await(layer.submit(inc, 41)));
    }
  }
}
