package dev.stepwise.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest, so {@code --version} matches the build. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = StepwiseCommand.class.getPackage().getImplementationVersion();
        return new String[] {"stepwise " + (version == null ? "(development build)" : version)};
    }
}
