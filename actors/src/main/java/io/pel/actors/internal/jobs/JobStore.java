package io.pel.actors.internal.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pel.actors.JobStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The job store: the JDBC database pekko-persistence-jdbc journals the job coordinators' events and
 * snapshots into. This class checks it before any persistent actor touches it, and creates its tables.
 *
 * <p>A store is PEL's when it holds the table {@code pel_store} with a format PEL knows. An empty
 * database is made one (tables from pekko-persistence-jdbc's schema, then the marker). Anything else is
 * refused with a message naming the file or URL: a file that is not an H2 database, a corrupt one, one
 * another process holds open, one with other tables and no marker. PEL never deletes or rewrites a store
 * it did not create, so a wrong {@code pel.data-dir} cannot cost anyone their data.
 */
public final class JobStore {

  /** The H2 database's name: its file is {@code <data-dir>/pel-jobs.mv.db}. */
  static final String H2_NAME = "pel-jobs";
  /** The version of the store's layout; {@code pel_store.format} holds it. */
  static final int FORMAT = 1;
  /** The shared database and the plugins' ids in the Pekko configuration (actors' reference.conf). */
  public static final String JOURNAL_PLUGIN = "pel.jobs.journal";
  public static final String SNAPSHOT_PLUGIN = "pel.jobs.snapshot-store";

  private static final String MARKER = "pel_store";
  /** How long a start waits for another node that is creating the store's tables, and how often it looks. */
  static final long CREATION_WAIT_MILLIS = 10_000;
  static final long CREATION_POLL_MILLIS = 100;
  private static final List<String> TABLES = List.of("event_journal", "event_tag", "snapshot");
  private static final byte[] H2_HEADER = "H:2,".getBytes(StandardCharsets.US_ASCII);

  private final JobSettings settings;

  private JobStore(JobSettings settings) {
    this.settings = settings;
  }

  /**
   * The Pekko settings that point the journal and snapshot plugins at {@code settings}' database; no
   * connection is made.
   */
  public static Config pekkoConfig(JobSettings settings) {
    Map<String, Object> db = new HashMap<>();
    String prefix = "pekko-persistence-jdbc.shared-databases.pel-jobs.";
    db.put(prefix + "profile", settings.store().slickProfile);
    db.put(prefix + "db.url", settings.jdbcUrl());
    db.put(prefix + "db.user", settings.user());
    db.put(prefix + "db.password", settings.password());
    db.put(prefix + "db.driver", settings.store().driver);
    return ConfigFactory.parseMap(db);
  }

  /**
   * Opens the store: creates the data directory and, when they are missing and allowed, the tables; checks
   * that it is PEL's.
   *
   * @throws JobStoreException naming the file or URL and what is wrong with it
   */
  public static JobStore open(JobSettings settings) {
    return open(settings, Thread::sleep);
  }

  /** {@link #open(JobSettings)}, pausing with {@code sleeper} while another node creates the store's tables. */
  static JobStore open(JobSettings settings, Sleeper sleeper) {
    JobStore store = new JobStore(settings);
    for (long waited = 0; ; waited += CREATION_POLL_MILLIS) {
      try {
        store.check();
        return store;
      } catch (CreationInProgress e) {
        if (waited >= CREATION_WAIT_MILLIS) throw store.refused(e.getMessage());
        try {
          sleeper.sleep(CREATION_POLL_MILLIS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw store.refused("interrupted while another node created its tables");
        }
      }
    }
  }

  /** Pauses the caller; {@link Thread#sleep} but in tests. */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  /**
   * What a store looks like while another node creates its tables (H2 commits each CREATE TABLE by itself,
   * so the tables appear one by one, the marker last): PEL's tables only, and no marker or an empty one.
   */
  private static final class CreationInProgress extends RuntimeException {
    CreationInProgress(String message) {
      super(message, null, false, false);
    }
  }

  /** Where the store is: the H2 file, or the URL. */
  public String location() {
    return settings.location();
  }

  /**
   * Deletes a job's events and snapshots older than {@code sequenceNumber}: after a compaction, only the
   * snapshot of the compacted job is left. Blocking.
   */
  public void deleteBefore(String persistenceId, long sequenceNumber) throws SQLException {
    try (Connection connection = connect()) {
      for (String table : List.of("event_journal", "snapshot")) {
        try (PreparedStatement delete = connection.prepareStatement(
            "DELETE FROM \"" + table + "\" WHERE \"persistence_id\" = ? AND \"sequence_number\" < ?")) {
          delete.setString(1, persistenceId);
          delete.setLong(2, sequenceNumber);
          delete.executeUpdate();
        }
      }
    }
  }

  /**
   * Connects and runs a trivial query, within about {@code timeoutSeconds} where the driver lets a query be
   * bounded: whether the store answers now. Blocking.
   *
   * @throws SQLException saying why it does not
   */
  public void ping(int timeoutSeconds) throws SQLException {
    try (Connection connection = connect(); Statement select = connection.createStatement()) {
      select.setQueryTimeout(timeoutSeconds);
      try (ResultSet rows = select.executeQuery("SELECT 1")) {
        if (!rows.next()) throw new SQLException("SELECT 1 returned no row");
      }
    }
  }

  private void check() {
    Path file = settings.h2File();
    if (file != null) checkFile(file);
    try (Connection connection = connect()) {
      Map<String, String> tables = tables(connection.getMetaData());
      if (tables.containsKey(MARKER)) {
        checkMarker(connection, tables.get(MARKER));
      } else {
        List<String> ours = TABLES.stream().filter(tables::containsKey).toList();
        List<String> foreign = new ArrayList<>(tables.keySet());
        String notOurs = "it holds tables " + new TreeSet<>(tables.values()) + " but no " + MARKER
            + " table: it is not a PEL job store, and PEL will not write into it. Point pel.data-dir (or "
            + "pel.jobs.url) at a store of PEL's own; to adopt journal tables made by hand, see the README";
        // PostgreSQL creates the tables and the marker in one transaction: only H2 shows them one by one.
        if (file != null && !ours.isEmpty() && TABLES.containsAll(tables.keySet())) throw new CreationInProgress(notOurs);
        if (!ours.isEmpty() || (file != null && !foreign.isEmpty())) {
          throw refused("it holds tables " + new TreeSet<>(tables.values()) + " but no " + MARKER
              + " table: it is not a PEL job store, and PEL will not write into it. Point pel.data-dir (or "
              + "pel.jobs.url) at a store of PEL's own; to adopt journal tables made by hand, see the README");
        }
        if (!settings.createSchema()) {
          throw refused("it has no job store tables and pel.jobs.create-schema is off: create them as the README shows");
        }
        try {
          createSchema(connection);
        } catch (SQLException e) {
          // Nodes of a cluster start together on one empty database: another may have created it first.
          Map<String, String> now = tables(connection.getMetaData());
          if (!now.containsKey(MARKER)) throw e;
          checkMarker(connection, now.get(MARKER));
        }
      }
      for (String table : TABLES) {
        if (!tables(connection.getMetaData()).containsKey(table)) {
          throw refused("its " + MARKER + " table says it is a PEL job store, but the table " + table + " is missing");
        }
      }
    } catch (SQLException e) {
      throw refused(describe(e), e);
    }
  }

  private void checkFile(Path file) {
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new JobStoreException("cannot create the data directory " + file.getParent() + " (pel.data-dir): " + e, e);
    }
    if (!Files.exists(file)) return;
    byte[] head = new byte[H2_HEADER.length];
    try (InputStream in = Files.newInputStream(file)) {
      int n = in.readNBytes(head, 0, head.length);
      if (n < head.length || !java.util.Arrays.equals(head, H2_HEADER)) {
        throw refused("it is not an H2 database file (it does not start with an H2 header): it is foreign or "
            + "corrupt. PEL leaves it as it is; move it away, or point pel.data-dir elsewhere");
      }
    } catch (IOException e) {
      throw refused("it cannot be read: " + e, e);
    }
  }

  private void checkMarker(Connection connection, String table) throws SQLException {
    try (Statement select = connection.createStatement();
         ResultSet rows = select.executeQuery("SELECT \"format\" FROM \"" + schema() + "\".\"" + table + "\"")) {
      if (!rows.next()) {
        if (settings.store() == JobSettings.Store.H2) throw new CreationInProgress("its " + MARKER + " table is empty");
        throw refused("its " + MARKER + " table is empty");
      }
      int format = rows.getInt(1);
      if (format != FORMAT) {
        throw refused("it is a PEL job store of format " + format + "; this PEL reads format " + FORMAT);
      }
    }
  }

  private void createSchema(Connection connection) throws SQLException {
    String resource = settings.store() == JobSettings.Store.H2 ? "schema/h2/h2-create-schema.sql" : "schema/postgres/postgres-create-schema.sql";
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement ddl = connection.createStatement()) {
      for (String statement : schemaStatements(resource)) ddl.execute(statement);
      // In the schema tables() reads, like the journal's tables: unqualified, PostgreSQL would put it in the
      // first schema of the search path, such as one named after the user, and the next start miss it.
      String marker = "\"" + schema() + "\".\"" + MARKER + "\"";
      ddl.execute("CREATE TABLE " + marker + " (\"format\" INTEGER NOT NULL, \"created\" BIGINT NOT NULL)");
      ddl.execute("INSERT INTO " + marker + " VALUES (" + FORMAT + ", " + System.currentTimeMillis() + ")");
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /**
   * pekko-persistence-jdbc's own schema script, cut to the tables the journal and snapshot plugins use
   * (the durable-state table's PostgreSQL indexes cannot be created inside a transaction).
   */
  static List<String> schemaStatements(String resource) {
    String script;
    try (InputStream in = JobStore.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("pekko-persistence-jdbc's " + resource + " is not on the class path");
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
    List<String> statements = new ArrayList<>();
    for (String statement : script.split(";")) {
      String text = statement.strip();
      if (text.isEmpty() || text.toLowerCase(Locale.ROOT).contains("durable_state") || text.contains("global_offset_seq")) continue;
      statements.add(text.replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS "));
    }
    return statements;
  }

  private Connection connect() throws SQLException {
    try {
      Class.forName(settings.store().driver);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the JDBC driver " + settings.store().driver + " is not on the class path", e);
    }
    Properties properties = new Properties();
    properties.setProperty("user", settings.user());
    properties.setProperty("password", settings.password());
    if (settings.store() == JobSettings.Store.POSTGRESQL) {
      // Seconds: an unreachable server fails start-up with its address soon, rather than hang it.
      properties.putIfAbsent("connectTimeout", "10");
      properties.putIfAbsent("loginTimeout", "10");
    }
    return DriverManager.getConnection(settings.jdbcUrl(), properties);
  }

  /** User tables by lower-case name, with the name as the database spells it. */
  private Map<String, String> tables(DatabaseMetaData meta) throws SQLException {
    Map<String, String> tables = new HashMap<>();
    try (ResultSet rows = meta.getTables(null, schema(), "%", new String[] {"TABLE"})) {
      while (rows.next()) {
        String name = rows.getString("TABLE_NAME");
        tables.put(name.toLowerCase(Locale.ROOT), name);
      }
    }
    return tables;
  }

  /** The schema of the store's tables: pekko-persistence-jdbc's PostgreSQL script creates them in public. */
  private String schema() {
    return settings.store() == JobSettings.Store.H2 ? "PUBLIC" : "public";
  }

  private static String describe(SQLException e) {
    return switch (e.getErrorCode()) {
      case 90020 -> "another process has it open (H2 allows one): is another PEL node using the same pel.data-dir?";
      case 90030, 90048 -> "it is corrupt or not an H2 database PEL can read (" + e.getMessage().lines().findFirst().orElse("") + ")."
          + " PEL leaves it as it is; move it away, or point pel.data-dir elsewhere";
      default -> "the database answered " + (e.getSQLState() == null ? "" : "(SQLState " + e.getSQLState() + ") ")
          + e.getMessage().lines().findFirst().orElse(e.toString());
    };
  }

  private JobStoreException refused(String why) {
    return refused(why, null);
  }

  private JobStoreException refused(String why, Throwable cause) {
    return new JobStoreException("the job store " + settings.location() + " cannot be used: " + why, cause);
  }
}
