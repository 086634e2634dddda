package io.pel.samples.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.samples.MainRun;
import io.pel.samples.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskOptionsTest {

  @Test
  void defaults() throws UsageException {
    RiskOptions options = RiskOptions.parse(List.of());
    assertEquals(new RiskOptions(1_000_000, 42, 7_813), options);
  }

  @Test
  void parsesEveryOption() throws UsageException {
    assertEquals(new RiskOptions(20_000, -3, 500),
        RiskOptions.parse(List.of("--seed", "-3", "--paths", "20_000", "--chunk", "500")));
  }

  @Test
  void errorsNameTheArgumentAndTheValue() {
    assertError("--paths '0' is out of range 1..20000000", "--paths", "0");
    assertError("--paths 'abc' is not a whole number", "--paths", "abc");
    assertError("--seed '1.5' is not a whole number", "--seed", "1.5");
    assertError("unknown option '--pahts'", "--pahts", "10");
    assertError("unexpected argument 'fast'", "fast");
    assertError("option --chunk needs a value", "--chunk");
    assertError("--chunk 1 splits 10000 paths into 10000 chunks; at most 5000 are allowed",
        "--paths", "10000", "--chunk", "1");
  }

  private static void assertError(String message, String... args) {
    UsageException e = assertThrows(UsageException.class, () -> RiskOptions.parse(List.of(args)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void mainExitsWith2AndPrintsTheErrorAndUsage() {
    MainRun run = MainRun.of("risk", "--paths", "abc");
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith("pel run risk: --paths 'abc' is not a whole number\nusage: ./pel run risk"), run.err());
    assertEquals("", run.out());
  }

  @Test
  void mainRejectsAnUnknownSampleListingTheKnownOnes() {
    MainRun run = MainRun.of("montecarlo");
    assertEquals(2, run.code());
    assertEquals("pel: unknown sample 'montecarlo'; known samples: risk, tasks, wordcount, jobs, ledger\n", run.err());
    assertEquals(2, MainRun.of().code());
  }

  @Test
  void mainPrintsUsageOnHelp() {
    MainRun run = MainRun.of("risk", "--help");
    assertEquals(0, run.code());
    assertTrue(run.out().startsWith("usage: ./pel run risk"), run.out());
  }
}
