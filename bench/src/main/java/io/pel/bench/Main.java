package io.pel.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code ./pel bench}: the workloads against their baselines, with {@code jobs} first the
 * checkpointed jobs' costs ({@link JobsBench}), or with {@code --jmh} the JMH benchmarks. Exit codes: 0
 * success; 1 checksums disagree or an engine failed; 2 bad command line.
 */
public final class Main {

  /** Exit code of a bad command line. */
  public static final int USAGE = 2;

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the bench as {@code ./pel bench args} does (not {@code --jmh}) and returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> list = Arrays.asList(args);
    if (list.contains("-h") || list.contains("--help")) {
      out.println(Options.USAGE);
      return 0;
    }
    if (!list.isEmpty() && list.get(0).equals(JobsOptions.MODE)) return runJobs(args, out, err);
    if (!list.isEmpty() && list.get(0).equals(BlockingBench.MODE)) return BlockingBench.run(args, commandLine(args), out, Progress.to(err));
    Options options;
    try {
      if (list.contains("--jmh")) throw new UsageException("--jmh must come first: ./pel bench --jmh [JMH OPTIONS]");
      options = Options.parse(list);
    } catch (UsageException e) {
      err.println("pel bench: " + e.getMessage());
      err.println(Options.USAGE);
      return USAGE;
    }
    return Bench.run(options, commandLine(args), out, Progress.to(err));
  }

  /** {@code ./pel bench jobs ...}: the checkpointed jobs' overhead and recovery. */
  private static int runJobs(String[] args, PrintStream out, PrintStream err) {
    JobsOptions options;
    try {
      options = JobsOptions.parse(Arrays.asList(args).subList(1, args.length));
    } catch (UsageException e) {
      err.println("pel bench: " + e.getMessage());
      err.println(Options.USAGE);
      return USAGE;
    }
    return JobsBench.run(options, commandLine(args), out, Progress.to(err));
  }

  private static String commandLine(String[] args) {
    return ("./pel bench " + String.join(" ", args)).trim();
  }
}
