package io.pel.actors.internal.jobs;

import static io.pel.cluster.internal.ConfigReader.bool;
import static io.pel.cluster.internal.ConfigReader.intAtLeast;
import static io.pel.cluster.internal.ConfigReader.positive;
import static io.pel.cluster.internal.ConfigReader.string;

import com.typesafe.config.Config;
import io.pel.cluster.InvalidSettingException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code pel.jobs} settings and {@code pel.data-dir}, checked at start-up.
 *
 * @param store where the journal lives
 * @param dataDir the node's data directory (absolute); the H2 store's file is in it
 * @param url the JDBC URL: for H2 empty means the file in {@code dataDir}
 * @param user database user
 * @param password database password
 * @param createSchema whether to create the journal's tables when they are missing
 * @param maxTasksPerJob most inputs one job may have
 * @param maxInFlightPerJob most tasks of one job submitted and not yet checkpointed
 * @param snapshotEvery events between two snapshots of a job
 * @param retention how long a finished job keeps its results before it is compacted
 * @param keepAlive how often unfinished jobs are woken (started again where their node died)
 * @param askTimeout how long a call on {@code Jobs} waits for the job's coordinator
 */
public record JobSettings(
    Store store, Path dataDir, String url, String user, String password, boolean createSchema,
    int maxTasksPerJob, int maxInFlightPerJob, int snapshotEvery, Duration retention, Duration keepAlive,
    Duration askTimeout) {

  /** The kinds of job store. */
  public enum Store {
    /** An H2 database file under the data directory, or an H2 server given by {@code url}. */
    H2("slick.jdbc.H2Profile$", "org.h2.Driver"),
    /** A PostgreSQL database given by {@code url}. */
    POSTGRESQL("slick.jdbc.PostgresProfile$", "org.postgresql.Driver");

    final String slickProfile;
    final String driver;

    Store(String slickProfile, String driver) {
      this.slickProfile = slickProfile;
      this.driver = driver;
    }
  }

  /** Reads {@code pel.data-dir} and {@code pel.jobs} from a node's resolved configuration. */
  public static JobSettings fromConfig(Config config) {
    Config pel = config.getConfig("pel");
    String storeName = string(pel, "jobs.store").trim().toLowerCase(Locale.ROOT);
    Store store = switch (storeName) {
      case "h2" -> Store.H2;
      case "postgresql", "postgres" -> Store.POSTGRESQL;
      default -> throw new InvalidSettingException("pel.jobs.store", storeName, "h2 or postgresql");
    };
    String dir = string(pel, "data-dir").trim();
    if (dir.isEmpty()) throw new InvalidSettingException("pel.data-dir", dir, "a directory path");
    Path dataDir;
    try {
      dataDir = Path.of(dir).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new InvalidSettingException("pel.data-dir", dir, "a directory path (" + e.getReason() + ")");
    }
    String url = string(pel, "jobs.url").trim();
    if (store == Store.POSTGRESQL && !url.startsWith("jdbc:postgresql:")) {
      throw new InvalidSettingException("pel.jobs.url", url, "a jdbc:postgresql://host:port/database URL when pel.jobs.store = postgresql");
    }
    if (store == Store.H2 && !url.isEmpty() && !url.startsWith("jdbc:h2:")) {
      throw new InvalidSettingException("pel.jobs.url", url, "empty (the file in pel.data-dir) or a jdbc:h2: URL when pel.jobs.store = h2");
    }
    Duration keepAlive = positive(pel, "jobs.keep-alive-interval");
    return new JobSettings(store, dataDir, url, string(pel, "jobs.user"), string(pel, "jobs.password"),
        bool(pel, "jobs.create-schema"), intAtLeast(pel, "jobs.max-tasks-per-job", 1),
        intAtLeast(pel, "jobs.max-in-flight-per-job", 1), intAtLeast(pel, "jobs.snapshot-every", 10),
        positive(pel, "jobs.retention"), keepAlive, positive(pel, "jobs.ask-timeout"));
  }

  /** The H2 database file this node's store uses, or {@code null} for a server or PostgreSQL store. */
  public Path h2File() {
    return store == Store.H2 && url.isEmpty() ? dataDir.resolve(JobStore.H2_NAME + ".mv.db") : null;
  }

  /** The JDBC URL the journal connects to. */
  public String jdbcUrl() {
    if (!url.isEmpty()) return url;
    // WRITE_DELAY=0: a commit reaches the file before it returns, so a SIGKILL loses no checkpoint.
    // DB_CLOSE_ON_EXIT=FALSE: the pool, not H2's own shutdown hook, closes it, after Pekko's shutdown.
    String base = dataDir.resolve(JobStore.H2_NAME).toString().replace('\\', '/');
    return "jdbc:h2:file:" + base + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  }

  /** Where the store is, for messages: the file, else the URL without its parameters. */
  public String location() {
    Path file = h2File();
    if (file != null) return file.toString();
    int semi = url.indexOf(';');
    int query = url.indexOf('?');
    int cut = semi < 0 ? query : query < 0 ? semi : Math.min(semi, query);
    return cut < 0 ? url : url.substring(0, cut);
  }
}
