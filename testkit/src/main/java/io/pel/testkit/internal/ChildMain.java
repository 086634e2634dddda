package io.pel.testkit.internal;

import io.pel.cluster.internal.StartedSystems;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The main class of every node JVM the testkit starts: {@code ChildMain <main class> <args...>}. It serves
 * the test's calls, reports the node's membership, then runs the node's own main method.
 *
 * <p>Threads: a daemon thread reads stdin, where the test JVM writes {@code call} lines; each call runs on a
 * daemon thread of its own. End of stdin means the test JVM is gone (it holds the only write end of the
 * pipe, and a killed process's pipes are closed by the kernel), so the node exits: that is how nodes are
 * reaped when the test JVM is killed. Standard output and error become one UTF-8 print stream, so every
 * protocol line is written whole, under that stream's lock, whichever thread prints around it.
 */
public final class ChildMain {

  /** Exit status of a node whose test JVM went away. */
  static final int PARENT_GONE = 3;
  /** Exit status of a node whose main method threw. */
  static final int MAIN_THREW = 1;
  /** Exit status when the node cannot even load its main method. */
  static final int BAD_MAIN = 2;

  private static final long HALT_AFTER_MILLIS = 10_000;
  private static final AtomicBoolean REPORTING = new AtomicBoolean();

  private ChildMain() {}

  /**
   * Runs a node.
   *
   * @param args the node's main class, then its arguments
   */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
        true, StandardCharsets.UTF_8);
    System.setOut(out);
    System.setErr(out);
    if (args.length == 0) {
      out.println("pel-testkit: usage: ChildMain <main class> [args...]");
      System.exit(BAD_MAIN);
    }
    Method main;
    try {
      main = MainMethods.find(Class.forName(args[0], false, ChildMain.class.getClassLoader()));
    } catch (ClassNotFoundException | IllegalArgumentException e) {
      out.println("pel-testkit: cannot run " + args[0] + ": " + e);
      System.exit(BAD_MAIN);
      return;
    }
    Thread stdin = new Thread(() -> serveCalls(out), "pel-testkit-stdin");
    stdin.setDaemon(true);
    stdin.start();
    StartedSystems.onStart(system -> reportMembership(system, out));

    CommandRegistry.mainRunning(true);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      CommandRegistry.mainRunning(false);
      out.println("pel-testkit: " + args[0] + ".main threw; the node exits with " + MAIN_THREW);
      e.getCause().printStackTrace(out);
      System.exit(MAIN_THREW);
    } catch (IllegalAccessException e) {
      out.println("pel-testkit: cannot call " + args[0] + ".main: " + e);
      System.exit(BAD_MAIN);
    }
    CommandRegistry.mainRunning(false);
  }

  private static void reportMembership(ActorSystem<?> system, PrintStream out) {
    if (!REPORTING.compareAndSet(false, true)) {
      out.println("pel-testkit: another PEL node started in this JVM (" + system + "); only the first is reported");
      return;
    }
    UniqueAddress self = Cluster.get(system).selfMember().uniqueAddress();
    Protocol.print(out, "self", Protocol.memberId(self.address().toString(), self.longUid()));
    system.systemActorOf(MembershipReporter.create(out), "pelTestkitMembership", Props.empty());
  }

  private static void serveCalls(PrintStream out) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        var call = Protocol.parseCall(line);
        if (call.isPresent()) {
          Thread thread = new Thread(() -> run(call.get(), out), "pel-testkit-call-" + call.get().id());
          thread.setDaemon(true);
          thread.start();
        } else {
          out.println("pel-testkit: ignored a line on stdin that is not a call: " + line);
        }
      }
    } catch (IOException e) {
      out.println("pel-testkit: reading stdin failed: " + e);
    }
    exitBecauseTheTestIsGone(out);
  }

  private static void exitBecauseTheTestIsGone(PrintStream out) {
    out.println("pel-testkit: stdin closed, the test JVM is gone; exiting with " + PARENT_GONE);
    // Shutdown hooks (Pekko's coordinated shutdown) may hang; a daemon halts the JVM if they do.
    Thread halt = new Thread(() -> {
      try {
        Thread.sleep(HALT_AFTER_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Runtime.getRuntime().halt(PARENT_GONE);
    }, "pel-testkit-halt");
    halt.setDaemon(true);
    halt.start();
    new Thread(() -> System.exit(PARENT_GONE), "pel-testkit-exit").start();
  }

  private static void run(Protocol.Call call, PrintStream out) {
    String command = call.command().stripLeading();
    int space = command.indexOf(' ');
    String name = space < 0 ? command : command.substring(0, space);
    String rest = space < 0 ? "" : command.substring(space + 1);
    try {
      Function<String, String> handler = CommandRegistry.await(name, () -> out.println(
          "pel-testkit: command '" + name + "' is not registered yet; waiting while main runs"));
      if (handler == null) {
        error(out, call.id(), "unknown command '" + name + "'; registered commands: " + CommandRegistry.namesForMessage());
        return;
      }
      String reply = handler.apply(rest);
      if (reply == null) {
        error(out, call.id(), "command '" + name + "' returned null");
      } else {
        Protocol.print(out, "reply", call.id() + " " + Protocol.escape(reply));
      }
    } catch (Throwable e) {
      error(out, call.id(), e.getClass().getName() + ": " + e.getMessage());
    }
  }

  private static void error(PrintStream out, long id, String text) {
    Protocol.print(out, "error", id + " " + Protocol.escape(text));
  }
}
