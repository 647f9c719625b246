package io.minilb.bootstrap.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Reads {@code --prefill URL [BOOTSTRAP_PORT|none]}: the URL, then the next argument too when it
 * is not another option. Each occurrence stays one entry, which picocli's arity alone would flatten.
 */
public final class PrefillArgumentConsumer implements IParameterConsumer {

    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
        if (args.isEmpty() || args.peek().startsWith("--")) {
            throw new ParameterException(commandSpec.commandLine(),
                    "--prefill needs a URL: --prefill URL [BOOTSTRAP_PORT|none]");
        }
        List<String> entry = new ArrayList<>(2);
        entry.add(args.pop());
        if (!args.isEmpty() && !args.peek().startsWith("-")) {
            entry.add(args.pop());
        }
        List<List<String>> entries = argSpec.getValue();
        entries.add(entry);
    }
}
