package io.pel.testkit.internal;

import io.pel.testkit.JvmClusterException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * What one run of a node has printed, as a thread of its own reads it: the lines, the protocol messages
 * (member id, members Up, replies to calls), and finally the exit code.
 *
 * <p>Concurrency: the reader thread alone writes the log file. Everything else is guarded by the cluster's
 * monitor, shared by all nodes of a cluster; the reader calls {@code notifyAll} on it after each line, and
 * every wait of the testkit waits on that monitor for its own condition. The exit code is set only after
 * the last line was read (and the log closed), so a wait that sees the run exited has seen all its output.
 */
public final class NodeOutput {

  private final String name;
  private final Object monitor;
  private final long pid;

  // Guarded by monitor.
  private final List<String> lines = new ArrayList<>();
  private final Map<Long, CompletableFuture<Protocol.Message>> replies = new HashMap<>();
  private List<String> membersUp;
  private String self;
  private Integer exitCode;

  private NodeOutput(String name, Object monitor, long pid) {
    this.name = name;
    this.monitor = monitor;
    this.pid = pid;
  }

  /**
   * Starts the thread that reads {@code process}'s output into {@code log} until the process exits, then
   * runs {@code afterExit}.
   */
  static NodeOutput follow(String name, Object monitor, Process process, Writer log, Runnable afterExit) {
    NodeOutput output = new NodeOutput(name, monitor, process.pid());
    Thread reader = new Thread(() -> output.read(process, log, afterExit), "pel-testkit-" + name.replace(' ', '-') + "-output");
    reader.setDaemon(true);
    reader.start();
    return output;
  }

  private void read(Process process, Writer log, Runnable afterExit) {
    try (log; BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        log.write(line);
        log.write('\n');
        log.flush();
        accept(line);
      }
      log.write("==== " + name + " exited with code " + exitCodeOf(process) + " ====\n");
    } catch (IOException e) {
      // The log or the pipe failed; the exit code below still ends the waits.
      synchronized (monitor) {
        lines.add("pel-testkit: reading the output of " + name + " failed: " + e);
      }
    } finally {
      int code = exitCodeOf(process);
      afterExit.run();
      synchronized (monitor) {
        exitCode = code;
        JvmClusterException gone = new JvmClusterException(name + " exited with code " + code + " before answering");
        replies.values().forEach(reply -> reply.completeExceptionally(gone));
        replies.clear();
        monitor.notifyAll();
      }
    }
  }

  private void accept(String line) {
    Protocol.Line split = Protocol.split(line);
    synchronized (monitor) {
      if (split.text() != null) lines.add(split.text());
      if (split.message() != null) apply(split.message());
      monitor.notifyAll();
    }
  }

  private void apply(Protocol.Message message) {
    if (message instanceof Protocol.Reply reply) {
      complete(reply.id(), reply);
    } else if (message instanceof Protocol.Error error) {
      complete(error.id(), error);
    } else if (message instanceof Protocol.Members members) {
      membersUp = members.up();
    } else if (message instanceof Protocol.Self s) {
      self = s.member();
    }
  }

  private void complete(long id, Protocol.Message message) {
    CompletableFuture<Protocol.Message> reply = replies.remove(id);
    if (reply != null) reply.complete(message);
  }

  private static int exitCodeOf(Process process) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return process.waitFor();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /**
   * A future completed by the reply (or error) to call {@code id}, or exceptionally when the run exits first.
   *
   * @throws JvmClusterException if the run has exited already
   */
  CompletableFuture<Protocol.Message> expectReply(long id, String command) {
    synchronized (monitor) {
      if (exitCode != null) throw new JvmClusterException(name + " has exited with code " + exitCode + "; cannot call '" + command + "'");
      CompletableFuture<Protocol.Message> reply = new CompletableFuture<>();
      replies.put(id, reply);
      return reply;
    }
  }

  /** Stops expecting the reply to call {@code id}. */
  void forget(long id) {
    synchronized (monitor) {
      replies.remove(id);
    }
  }

  /** True until the process has exited and its last line was read. */
  public boolean isRunning() {
    synchronized (monitor) {
      return exitCode == null;
    }
  }

  /** The member id this run reported ({@code address#uid}), or null before its actor system started. */
  public String self() {
    synchronized (monitor) {
      return self;
    }
  }

  /** The member ids this run last saw Up, or null if it has not reported any yet. */
  public List<String> membersUp() {
    synchronized (monitor) {
      return membersUp;
    }
  }

  /** The lines printed so far, protocol lines left out. */
  public List<String> lines() {
    synchronized (monitor) {
      return List.copyOf(lines);
    }
  }

  /** What this run is doing, for failure messages: running or exited, and the members it sees. */
  public String describe() {
    synchronized (monitor) {
      String state = exitCode == null ? "running" : "exited with code " + exitCode;
      String members = self == null ? "has not started a PEL node (yet)"
          : membersUp == null ? "has reported no members yet"
          : "sees " + membersUp.size() + " Up " + membersUp.stream().map(Protocol::address).toList();
      return "pid " + pid + ", " + state + ", " + members;
    }
  }

  /**
   * The first line of this run matching {@code pattern} ({@link java.util.regex.Matcher#find}), among the
   * lines already printed and then those to come.
   *
   * @throws AssertionError if none matches in time or the process exits without printing one
   */
  public String awaitLine(Pattern pattern, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int next = 0;
    synchronized (monitor) {
      while (true) {
        for (; next < lines.size(); next++) {
          if (pattern.matcher(lines.get(next)).find()) return lines.get(next);
        }
        if (exitCode != null) {
          throw new AssertionError(name + " exited with code " + exitCode + " without printing a line matching /" + pattern + "/");
        }
        if (!Waits.waitOn(monitor, deadline, "a line of " + name + " matching /" + pattern + "/")) {
          throw new AssertionError(name + " printed no line matching /" + pattern + "/ within " + timeout);
        }
      }
    }
  }

  /**
   * Waits until the run sees exactly {@code count} members Up and returns their addresses.
   *
   * @throws AssertionError if it does not in time, or exits first
   */
  public List<String> awaitMembersUp(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (membersUp == null || membersUp.size() != count) {
        if (exitCode != null) throw new AssertionError(name + " exited with code " + exitCode + " before seeing " + count + " members Up");
        if (!Waits.waitOn(monitor, deadline, name + " to see " + count + " members Up")) {
          throw new AssertionError(name + " did not see " + count + " members Up within " + timeout + " (" + describe() + ")");
        }
      }
      return membersUp.stream().map(Protocol::address).toList();
    }
  }

  /**
   * Waits for the process to exit and its output to be read.
   *
   * @return the exit code, or empty if it was still running at the deadline
   */
  public Optional<Integer> awaitExit(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (exitCode == null) {
        if (!Waits.waitOn(monitor, deadline, name + " to exit")) return Optional.empty();
      }
      return Optional.of(exitCode);
    }
  }
}
