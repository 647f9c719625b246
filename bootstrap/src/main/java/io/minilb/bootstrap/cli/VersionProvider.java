package io.minilb.bootstrap.cli;

import io.minilb.bootstrap.Version;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version Maven stamped into the jar. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"mini-lb " + Version.current()};
    }
}
