package io.pel.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What one job left in an H2 job store, read over JDBC on the URL the layer itself uses ({@code
 * JobSettings.jdbcUrl()} in the actors module: the file {@code pel-jobs.mv.db} under the data directory).
 *
 * @param journalRows rows of table {@code event_journal} for the job, deleted-marked ones included
 * @param journalBytes their event payloads, together
 * @param snapshotRows rows of table {@code snapshot} for the job
 * @param snapshotBytes the payload of its latest snapshot; 0 without one
 */
record JobJournal(long journalRows, long journalBytes, long snapshotRows, long snapshotBytes) {

  /** The persistence id of a job's coordinator: {@code pel-job|<jobId>}. */
  static String persistenceId(String jobId) {
    return "pel-job|" + jobId;
  }

  /** The JDBC URL of the H2 store under {@code dataDir}, as the layer builds it. */
  static String url(Path dataDir) {
    String base = dataDir.toAbsolutePath().normalize().resolve("pel-jobs").toString().replace('\\', '/');
    return "jdbc:h2:file:" + base + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  }

  /** Reads what job {@code jobId} left in the store under {@code dataDir}. */
  static JobJournal of(Path dataDir, String jobId) throws SQLException {
    String id = persistenceId(jobId);
    try (Connection connection = DriverManager.getConnection(url(dataDir), "", "")) {
      long[] journal = longs(connection, "SELECT COUNT(*), COALESCE(SUM(OCTET_LENGTH(\"event_payload\")), 0) "
          + "FROM \"event_journal\" WHERE \"persistence_id\" = ?", id);
      long[] snapshots = longs(connection, "SELECT COUNT(*), COALESCE(MAX(\"sequence_number\"), -1) "
          + "FROM \"snapshot\" WHERE \"persistence_id\" = ?", id);
      long snapshotBytes = snapshots[0] == 0 ? 0 : longs(connection, "SELECT OCTET_LENGTH(\"snapshot_payload\") "
          + "FROM \"snapshot\" WHERE \"persistence_id\" = ? AND \"sequence_number\" = " + snapshots[1], id)[0];
      return new JobJournal(journal[0], journal[1], snapshots[0], snapshotBytes);
    }
  }

  private static long[] longs(Connection connection, String sql, String persistenceId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, persistenceId);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) throw new SQLException("no row from " + sql);
        long[] values = new long[row.getMetaData().getColumnCount()];
        for (int i = 0; i < values.length; i++) values[i] = row.getLong(i + 1);
        return values;
      }
    }
  }
}
