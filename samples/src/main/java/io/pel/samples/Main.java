package io.pel.samples;

import io.pel.cluster.InvalidSettingException;
import io.pel.samples.jobs.JobsSample;
import io.pel.samples.ledger.LedgerSample;
import io.pel.samples.risk.RiskSample;
import io.pel.samples.tasks.TinyTasksSample;
import io.pel.samples.wordcount.WordCountSample;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the samples: {@code Main SAMPLE [ARGS]}, as run by {@code ./pel run SAMPLE [ARGS]}.
 *
 * <p>Exit codes: 0 success; 1 the sample failed; 2 bad command line (unknown sample or bad arguments) or
 * a bad {@code PEL_*} environment variable.
 */
public final class Main {

  /** Exit code of a bad command line. */
  public static final int USAGE = 2;

  private static final Map<String, Sample> SAMPLES = samples(new RiskSample(), new TinyTasksSample(), new WordCountSample(), new JobsSample(), new LedgerSample());

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the sample named by {@code args[0]} and returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("pel: no sample given; known samples: " + known());
      return USAGE;
    }
    Sample sample = SAMPLES.get(args[0]);
    if (sample == null) {
      err.println("pel: unknown sample '" + args[0] + "'; known samples: " + known());
      return USAGE;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (rest.contains("-h") || rest.contains("--help")) {
      out.println(sample.usage());
      return 0;
    }
    try {
      return sample.run(rest, out);
    } catch (UsageException e) {
      err.println("pel run " + sample.name() + ": " + e.getMessage());
      err.println(sample.usage());
      return USAGE;
    } catch (InvalidSettingException e) {
      err.println("pel run " + sample.name() + ": " + e.getMessage());
      return USAGE;
    } catch (RuntimeException e) {
      err.println("pel run " + sample.name() + ": failed: " + e);
      return 1;
    }
  }

  private static String known() {
    return String.join(", ", SAMPLES.keySet());
  }

  private static Map<String, Sample> samples(Sample... samples) {
    Map<String, Sample> byName = new LinkedHashMap<>();
    for (Sample s : samples) byName.put(s.name(), s);
    return byName;
  }
}
