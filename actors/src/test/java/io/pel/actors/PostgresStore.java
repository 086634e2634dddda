package io.pel.actors;

import com.typesafe.config.ConfigUtil;
import java.security.SecureRandom;
import java.util.Optional;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database for one test, dropped again by {@link #close()}.
 *
 * <p>The server is {@code jdbc:postgresql://127.0.0.1:5432/} with user {@code pel}, password {@code pel}
 * (the role {@code .ci/run} creates), or what the system properties {@code pel.test.pg.url}, {@code
 * pel.test.pg.user}, {@code pel.test.pg.password} or the environment variables {@code PEL_TEST_PG_URL},
 * {@code PEL_TEST_PG_USER}, {@code PEL_TEST_PG_PASSWORD} say. The user must be allowed to create
 * databases. When the server cannot be reached, {@link #create()} skips the calling test and prints why.
 */
public final class PostgresStore implements AutoCloseable {

  public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String PREFIX = "jdbc:postgresql://";
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Why the server was unreachable, once known: later tests skip at once rather than wait again. */
  private static volatile String unreachable;

  private final String server; // jdbc:postgresql://host:port/
  private final String params; // the URL's ?parameters, or ""
  private final String user;
  private final String password;
  private final String adminDatabase;
  private final String database;

  private PostgresStore(String server, String params, String adminDatabase, String user, String password, String database) {
    this.server = server;
    this.params = params;
    this.adminDatabase = adminDatabase;
    this.user = user;
    this.password = password;
    this.database = database;
  }

  /**
   * Creates a database named {@code pel_test_<random>} on the test server; skips the calling test (JUnit
   * assumption) with a printed reason when no server answers.
   */
  public static PostgresStore create() {
    Optional<PostgresStore> store = tryCreate();
    if (store.isPresent()) return store.get();
    Assumptions.assumeTrue(false, unreachable);
    throw new AssertionError("unreachable");
  }

  /**
   * As {@link #create()}, but for a test that has another store to fall back on: empty (with the reason
   * printed) when no server answers.
   */
  public static Optional<PostgresStore> tryCreate() {
    String url = setting("pel.test.pg.url", "PEL_TEST_PG_URL", DEFAULT_URL);
    String user = setting("pel.test.pg.user", "PEL_TEST_PG_USER", "pel");
    String password = setting("pel.test.pg.password", "PEL_TEST_PG_PASSWORD", "pel");
    if (!url.startsWith(PREFIX)) throw new IllegalArgumentException("PEL_TEST_PG_URL must be a jdbc:postgresql://host:port/ URL: " + url);
    int slash = url.indexOf('/', PREFIX.length());
    String server = slash < 0 ? url + "/" : url.substring(0, slash + 1);
    String rest = slash < 0 ? "" : url.substring(slash + 1);
    int query = rest.indexOf('?');
    String params = query < 0 ? "" : rest.substring(query);
    String admin = query < 0 ? rest : rest.substring(0, query);
    PostgresStore store = new PostgresStore(server, params, admin.isEmpty() ? "postgres" : admin, user, password,
        "pel_test_" + randomHex());

    String reason = unreachable;
    if (reason == null) {
      try (Connection connection = store.connect(store.adminDatabase)) {
        try (Statement create = connection.createStatement()) {
          create.execute("CREATE DATABASE " + store.database);
        } catch (SQLException e) {
          throw new IllegalStateException("the PostgreSQL user " + user + " at " + store.hostPort()
              + " cannot create the test database " + store.database + " (it needs CREATEDB): " + e.getMessage(), e);
        }
        return Optional.of(store);
      } catch (SQLException e) {
        String why = e.getCause() instanceof java.net.ConnectException || e.getCause() instanceof java.net.UnknownHostException
            || e.getCause() instanceof java.net.SocketTimeoutException
            ? "no server at " + store.hostPort() + " (" + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage() + ")"
            : "cannot log in to " + store.hostPort() + " as " + user + " (" + firstLine(e) + ")";
        reason = "PostgreSQL tests skipped: " + why
            + "; .ci/run starts one, or set PEL_TEST_PG_URL, PEL_TEST_PG_USER, PEL_TEST_PG_PASSWORD";
        unreachable = reason;
      }
    }
    System.out.println(reason);
    return Optional.empty();
  }

  /** The database's JDBC URL. */
  public String url() {
    return server + database + params;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The database's name. */
  public String database() {
    return database;
  }

  /** The settings of a layer whose job store is this database. */
  public String hocon() {
    return "pel.jobs.store = postgresql\n"
        + "pel.jobs.url = " + ConfigUtil.quoteString(url()) + "\n"
        + "pel.jobs.user = " + ConfigUtil.quoteString(user) + "\n"
        + "pel.jobs.password = " + ConfigUtil.quoteString(password) + "\n";
  }

  /** A new connection to this database. */
  public Connection connect() throws SQLException {
    return connect(database);
  }

  /** Drops the database, ending whatever sessions are still connected to it. */
  @Override
  public void close() throws SQLException {
    try (Connection connection = connect(adminDatabase); Statement drop = connection.createStatement()) {
      if (connection.getMetaData().getDatabaseMajorVersion() >= 13) {
        drop.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      } else {
        drop.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "' AND pid <> pg_backend_pid()");
        drop.execute("DROP DATABASE IF EXISTS " + database);
      }
    }
  }

  private Connection connect(String name) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    properties.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(server + name + params, properties);
  }

  private String hostPort() {
    return server.substring(PREFIX.length(), server.length() - 1);
  }

  private static String setting(String property, String variable, String otherwise) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) value = System.getenv(variable);
    return value == null || value.isBlank() ? otherwise : value.trim();
  }

  private static String firstLine(SQLException e) {
    String text = e.getMessage() == null ? e.toString() : e.getMessage();
    return text.lines().findFirst().orElse(text);
  }

  private static String randomHex() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
