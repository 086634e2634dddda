package io.pel.testkit.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Kills the nodes still running when the test JVM shuts down: a test that never closes its cluster, or a
 * test run interrupted with Ctrl-C. (A test JVM that is killed outright runs no hook; its nodes see their
 * stdin close and exit by themselves, see {@link ChildMain}.)
 */
public final class ChildReaper {

  private static final Set<ProcessHandle> RUNNING = ConcurrentHashMap.newKeySet();
  private static final Thread HOOK = new Thread(ChildReaper::killAll, "pel-testkit-reaper");

  static {
    Runtime.getRuntime().addShutdownHook(HOOK);
  }

  private ChildReaper() {}

  /** Watches {@code process} until it exits. */
  public static void track(Process process) {
    ProcessHandle handle = process.toHandle();
    RUNNING.add(handle);
    process.onExit().thenRun(() -> RUNNING.remove(handle));
  }

  /** Kills {@code process} and its descendants with SIGKILL, without waiting. */
  public static void killTree(ProcessHandle process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static void killAll() {
    for (ProcessHandle process : RUNNING) killTree(process);
    for (ProcessHandle process : RUNNING) {
      try {
        process.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // the JVM is going down; nothing more can be done for this one
      }
    }
  }
}
