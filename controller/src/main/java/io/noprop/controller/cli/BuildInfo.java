package io.noprop.controller.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The project version and the git commit this noprop was built from, as the build wrote them into
 * {@code noprop-build.properties} (controller/pom.xml); "unknown" when run from classes the build
 * did not stamp (an IDE). {@code -dirty} after the commit means uncommitted changes were built.
 */
record BuildInfo(String version, String commit) implements CommandLine.IVersionProvider {
  static final BuildInfo CURRENT = load();

  /** For picocli, which instantiates it. */
  BuildInfo() {
    this(CURRENT.version, CURRENT.commit);
  }

  private static BuildInfo load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/noprop-build.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      // unstamped: say so below
    }
    return new BuildInfo(p.getProperty("version", "unknown"), p.getProperty("commit", "unknown").trim());
  }

  @Override
  public String[] getVersion() {
    return new String[] {"noprop " + version + " (commit " + commit + ", protocol v1)"};
  }
}
