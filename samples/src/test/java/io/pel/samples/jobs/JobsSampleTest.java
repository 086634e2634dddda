package io.pel.samples.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.samples.Main;
import io.pel.samples.MainRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobsSampleTest {

  @TempDir Path dataDir;

  @BeforeEach
  void useTheTemporaryDataDirectory() {
    System.setProperty("pel.data-dir", dataDir.toString());
    ConfigFactory.invalidateCaches();
  }

  @AfterEach
  void forgetIt() {
    System.clearProperty("pel.data-dir");
    ConfigFactory.invalidateCaches();
  }

  @Test
  void theJobCountsThePrimesAndARunAgainFindsItFinished() {
    MainRun first = MainRun.of("jobs", "--tasks", "50", "--job", "primes-test");
    assertEquals(0, first.code(), first.err() + first.out());
    assertTrue(first.out().contains("primes below 1,000,000: 78,498"), first.out());
    assertTrue(first.out().contains("50 run by this process"), first.out());
    assertTrue(Files.isRegularFile(dataDir.resolve("pel-jobs.mv.db")), "the job store is under pel.data-dir");

    MainRun again = MainRun.of("jobs", "--tasks", "50", "--job", "primes-test");
    assertEquals(0, again.code(), again.err() + again.out());
    assertTrue(again.out().contains("finished before this run") && again.out().contains("0 run by this process"), again.out());
    assertTrue(again.out().contains("primes below 1,000,000: 78,498"), again.out());
  }

  @Test
  void badOptionsAreNamed() {
    MainRun zero = MainRun.of("jobs", "--tasks", "0");
    assertEquals(Main.USAGE, zero.code());
    assertTrue(zero.err().contains("--tasks '0' is out of range 1..100000"), zero.err());
    assertEquals(Main.USAGE, MainRun.of("jobs", "--speed", "3").code());
    MainRun badId = MainRun.of("jobs", "--tasks", "5", "--job", "no spaces please");
    assertEquals(1, badId.code());
    assertTrue(badId.out().contains("is not valid"), badId.out());
  }

  @Test
  void primeCountsAreRight() {
    assertEquals(25, PrimeJobs.countPrimes(0, 100));
    assertEquals(0, PrimeJobs.countPrimes(24, 29));
    assertEquals(1229, PrimeJobs.countPrimes(0, 10_000));
  }
}
