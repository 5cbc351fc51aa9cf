package io.noprop.controller.cli;

import io.noprop.controller.runs.LiveViewServer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "view", mixinStandardHelpOptions = true,
    description = {"Serve a live web page of the runs under DIR: running and finished runs, their loss and accuracy against queries",
        "updating while they train, chip cost next to wall time, a fleet's chips online. Read-only; Ctrl-C stops."})
final class ViewCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "8717", description = "TCP port (0: any free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDR",
      description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only); 0.0.0.0 shows your runs to the whole network.")
  String bind;

  @Parameters(arity = "0..*", paramLabel = "DIR", description = "Directories holding runs. Default: runs.")
  List<Path> dirs;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) throw new CommandLine.ParameterException(spec.commandLine(), "--port: " + port + " is not a TCP port (0-65535)");
    List<Path> roots = dirs == null || dirs.isEmpty() ? List.of(RunsCommand.DEFAULT_ROOT) : dirs;
    for (Path r : roots) {
      if (!Files.isDirectory(r)) throw new IllegalArgumentException("no directory " + r + "; name the directory your runs are in (train --out DIR writes one run)");
    }
    InetAddress addr;
    try {
      addr = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--bind: unknown address " + bind + " (e.g. 127.0.0.1, ::1, 0.0.0.0)");
    }
    LiveViewServer server;
    try {
      server = LiveViewServer.start(roots, addr, port);
    } catch (BindException e) {
      throw new IllegalArgumentException("cannot listen on " + bind + ":" + port + " (" + e.getMessage() + "); another program holds the port: choose one with --port N, or --port 0");
    }
    var err = spec.commandLine().getErr();
    if (!addr.isLoopbackAddress()) err.println("warning: listening on " + bind + ": anyone who can reach this machine sees run names, devices and figures");
    String host = addr.isAnyLocalAddress() ? "127.0.0.1" : addr.getHostAddress().contains(":") ? "[" + addr.getHostAddress() + "]" : addr.getHostAddress();
    spec.commandLine().getOut().println("live view of " + roots + " on http://" + host + ":" + server.port() + "/ (Ctrl-C stops)");
    spec.commandLine().getOut().flush();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    new CountDownLatch(1).await(); // serves until the process is stopped
    return 0;
  }
}
