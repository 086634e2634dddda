package io.pel.samples.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.samples.MainRun;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LedgerSampleTest {

  @Test
  void badOptionsExitWith2NamingTheOption() {
    assertUsageError("unknown option '--fast'", "--fast", "1");
    assertUsageError("--txs '0' is out of range 1..2000000", "--txs", "0");
    assertUsageError("--txs 'abc' is not a whole number", "--txs", "abc");
    assertUsageError("--accounts '1' is out of range 2..1000000", "--accounts", "1");
    assertUsageError("--sweep sets the accounts itself; drop --accounts", "--sweep", "--accounts", "10");
    assertUsageError("--batch '5000' is out of range 1..1024", "--batch", "5000");
    assertUsageError("option --seed needs a value", "--txs", "10", "--seed");
    assertUsageError("unexpected argument 'fast'", "fast");
  }

  private static void assertUsageError(String message, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "ledger";
    System.arraycopy(args, 0, command, 1, args.length);
    MainRun run = MainRun.of(command);
    assertEquals(2, run.code(), String.join(" ", args));
    assertTrue(run.err().startsWith("pel run ledger: " + message + "\nusage: ./pel run ledger"), run.err());
    assertEquals("", run.out(), "nothing runs on a bad command line");
  }

  @Test
  void helpPrintsTheUsage() {
    MainRun run = MainRun.of("ledger", "--help");
    assertEquals(0, run.code());
    assertEquals(LedgerSample.USAGE + "\n", run.out());
  }

  @Test
  void aSmallBlockEndsInTheSequentialStateOnPel() {
    MainRun run = MainRun.of("ledger", "--txs", "2000", "--accounts", "50", "--work", "8");
    assertEquals(0, run.code(), run.out() + run.err());
    String out = run.out();
    assertTrue(out.contains("ledger: 2,000 transactions over 50 accounts, 1 pool, 1 market;"), out);
    assertTrue(out.contains("identical: yes"), out);
    assertTrue(Pattern.compile("(?m)^speed-up \\(sequential / PEL\\): \\d+\\.\\d\\dx$").matcher(out).find(), out);
    assertTrue(Pattern.compile("(?m)^reverted: [\\d,]+ of 2,000").matcher(out).find(), out);

    Matcher state = Pattern.compile("state hash +sequential ([0-9a-f]{64})\n +PEL +([0-9a-f]{64})").matcher(out);
    assertTrue(state.find(), out);
    assertEquals(state.group(1), state.group(2), "state hashes");
    Matcher receipts = Pattern.compile("receipts hash sequential ([0-9a-f]{64})\n +PEL +([0-9a-f]{64})").matcher(out);
    assertTrue(receipts.find(), out);
    assertEquals(receipts.group(1), receipts.group(2), "receipts hashes");
  }

  @Test
  void aSweepPrintsOneIdenticalRowPerAccountCount() {
    MainRun run = MainRun.of("ledger", "--sweep", "--txs", "1500", "--work", "4");
    assertEquals(0, run.code(), run.out() + run.err());
    Matcher row = Pattern.compile("(?m)^ *([\\d,]+) +[\\d,]+ +[\\d,]+ +[\\d,]+ +[\\d,]+ +[\\d,]+ +\\d+\\.\\d\\dx +(.+)$")
        .matcher(run.out());
    List<String> accounts = new ArrayList<>();
    while (row.find()) {
      accounts.add(row.group(1));
      assertTrue(row.group(2).matches("[0-9a-f]{16} identical"), row.group());
    }
    assertEquals(List.of("2", "10", "100", "1,000", "10,000"), accounts, run.out());
  }
}
