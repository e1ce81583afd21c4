package dev.stepwise.dataset.grading.internal;

import java.util.Set;

/** Expression tree of a scalar answer. */
sealed interface Node {

    /** Adds the names of the free variables to {@code names}. */
    void collectVariables(Set<String> names);

    record Number(Rational value) implements Node {
        @Override
        public void collectVariables(Set<String> names) {}
    }

    /** A letter, a Greek letter command or a subscripted name such as {@code x_1}. */
    record Variable(String name) implements Node {
        @Override
        public void collectVariables(Set<String> names) {
            names.add(name);
        }
    }

    /** {@code \pi} or {@code \infty}. */
    record Constant(String name) implements Node {
        @Override
        public void collectVariables(Set<String> names) {}
    }

    record Negation(Node operand) implements Node {
        @Override
        public void collectVariables(Set<String> names) {
            operand.collectVariables(names);
        }
    }

    /** Binary operation; {@code operator} is one of {@code + - * / ^}. */
    record Binary(char operator, Node left, Node right) implements Node {
        @Override
        public void collectVariables(Set<String> names) {
            left.collectVariables(names);
            right.collectVariables(names);
        }
    }

    /** {@code \sqrt[degree]{radicand}}; {@code degree} is null for a square root. */
    record Root(Node radicand, Node degree) implements Node {
        @Override
        public void collectVariables(Set<String> names) {
            radicand.collectVariables(names);
            if (degree != null) {
                degree.collectVariables(names);
            }
        }
    }

    /** A named function of one argument; {@code base} is the subscript of {@code \log_b}, or null. */
    record Function(String name, Node argument, Node base) implements Node {
        @Override
        public void collectVariables(Set<String> names) {
            argument.collectVariables(names);
            if (base != null) {
                base.collectVariables(names);
            }
        }
    }

    record Factorial(Node operand) implements Node {
        @Override
        public void collectVariables(Set<String> names) {
            operand.collectVariables(names);
        }
    }

    record Binomial(Node n, Node k) implements Node {
        @Override
        public void collectVariables(Set<String> names) {
            n.collectVariables(names);
            k.collectVariables(names);
        }
    }
}
