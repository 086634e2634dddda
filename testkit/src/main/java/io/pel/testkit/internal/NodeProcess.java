package io.pel.testkit.internal;

import io.pel.testkit.JvmClusterException;
import io.pel.testkit.NodeCommandException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run of a node's JVM, as the test drives it: calls written to its stdin, SIGKILL and SIGTERM. What it
 * prints is its {@link #output()}.
 */
public final class NodeProcess {

  private final int index;
  private final String name;
  private volatile boolean paused;
  private final Process process;
  private final Writer stdin;
  private final NodeOutput output;
  private final AtomicLong lastCallId = new AtomicLong();

  private NodeProcess(int index, Object monitor, Process process, Writer log) {
    this.index = index;
    this.name = "node " + index;
    this.process = process;
    this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.output = NodeOutput.follow(name, monitor, process, log, this::closeStdin);
  }

  /**
   * Starts a node JVM and the thread that copies its output to {@code logFile}.
   *
   * @param index the node's index in its cluster, from 1
   * @param monitor the cluster's monitor, notified after every line
   * @param appendLog false to start the log file afresh, true to add to it (a restart)
   * @param header the first line written to the log for this run; the process id is appended
   */
  public static NodeProcess start(int index, Object monitor, ProcessBuilder builder, Path logFile, boolean appendLog,
      String header) {
    Writer log = null;
    try {
      log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          appendLog ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
      Process process = builder.redirectErrorStream(true).start();
      ChildReaper.track(process);
      log.write(header + " (pid " + process.pid() + ") ====\n");
      log.flush();
      return new NodeProcess(index, monitor, process, log);
    } catch (IOException e) {
      if (log != null) {
        try {
          log.close();
        } catch (IOException ignored) {
          // reported below
        }
      }
      throw new UncheckedIOException("cannot start node " + index + " (log " + logFile + ")", e);
    }
  }

  private void closeStdin() {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // the pipe went with the process
    }
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** What the run has printed so far, and the waits for what it will print. */
  public NodeOutput output() {
    return output;
  }

  /**
   * Sends {@code command} to the node and waits for its reply.
   *
   * @throws NodeCommandException if the node answered with an error
   * @throws JvmClusterException if the node has exited, exits before answering, or does not answer in time
   */
  public String call(String command, Duration timeout) {
    long id = lastCallId.incrementAndGet();
    var reply = output.expectReply(id, command);
    try {
      synchronized (stdin) {
        stdin.write(Protocol.callLine(id, command));
        stdin.write('\n');
        stdin.flush();
      }
    } catch (IOException e) {
      output.forget(id);
      throw new JvmClusterException(name + " cannot take the call '" + command + "': its stdin is closed (it is exiting)", e);
    }
    Protocol.Message message;
    try {
      message = reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      output.forget(id);
      throw new JvmClusterException(name + " did not answer '" + command + "' within " + timeout);
    } catch (ExecutionException e) {
      throw new JvmClusterException(e.getCause().getMessage() + " '" + command + "'", e.getCause());
    } catch (InterruptedException e) {
      output.forget(id);
      Thread.currentThread().interrupt();
      throw new JvmClusterException("interrupted while waiting for " + name + " to answer '" + command + "'", e);
    }
    if (message instanceof Protocol.Error error) throw new NodeCommandException(index, command, error.text());
    return ((Protocol.Reply) message).text();
  }

  /** SIGKILLs the process and its descendants, then waits for it to exit; returns the exit code. */
  /**
   * SIGSTOPs the process: it stops dead, as in a long GC pause or a hung VM, and keeps its connections open
   * without answering on them.
   */
  public synchronized void pause() {
    signal("STOP");
    paused = true;
  }

  /** SIGCONTs a paused process: it goes on where it stopped, its timers firing late. */
  public synchronized void resume() {
    signal("CONT");
    paused = false;
  }

  public boolean isPaused() {
    return paused && process.isAlive();
  }

  private void signal(String name) {
    if (!process.isAlive()) throw new IllegalStateException(this.name + " has exited; it cannot be sent SIG" + name);
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
      String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new JvmClusterException("kill -" + name + " " + process.pid() + " failed: " + output.strip());
      }
    } catch (IOException e) {
      throw new JvmClusterException("cannot run kill -" + name + " for " + this.name + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JvmClusterException("interrupted while sending SIG" + name + " to " + this.name);
    }
  }

  public int kill() {
    ChildReaper.killTree(process.toHandle());
    return output.awaitExit(Duration.ofSeconds(30)).orElseThrow(
        () -> new JvmClusterException(name + " (pid " + process.pid() + ") has not exited 30 s after SIGKILL"));
  }

  /**
   * SIGTERMs the process and waits for it to exit; kills what it leaves behind.
   *
   * @return the exit code
   * @throws JvmClusterException if it does not exit in time; it is then killed
   */
  public int stop(Duration timeout) {
    if (paused) resume(); // a stopped process takes no SIGTERM until it runs again
    List<ProcessHandle> descendants = process.descendants().toList();
    // Through the handle: Process.destroy() would also close our end of the node's stdout, losing the
    // lines it prints while it shuts down.
    process.toHandle().destroy();
    Optional<Integer> code = output.awaitExit(timeout);
    descendants.forEach(ProcessHandle::destroyForcibly);
    if (code.isEmpty()) {
      kill();
      throw new JvmClusterException(name + " (pid " + process.pid() + ") did not exit within " + timeout
          + " of SIGTERM, so it was killed; see the end of its log for what it was doing");
    }
    return code.get();
  }
}
