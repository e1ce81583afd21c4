package dev.stepwise.dataset.grading.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for scalar LaTeX expressions: numbers, letters, {@code + - * / ^},
 * implicit multiplication, {@code \frac}, {@code \sqrt}, {@code \binom}, factorials, absolute
 * values, floor and ceiling, and the functions in {@link #FUNCTIONS}. An integer directly followed
 * by {@code \frac} of two integers ({@code 2\frac{1}{2}}), or by a space and {@code a/b}
 * ({@code 2 1/2}), is a mixed number.
 */
final class ExpressionParser {

    static final Set<String> FUNCTIONS = Set.of(
            "sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan",
            "sinh", "cosh", "tanh", "ln", "log", "exp");

    static final Set<String> GREEK = Set.of(
            "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
            "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon",
            "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma",
            "Phi", "Psi", "Omega");

    private final List<Token> tokens;
    private final Deadline deadline;
    private final int maxDepth;
    private int position;
    private int depth;

    private ExpressionParser(List<Token> tokens, Deadline deadline, int maxDepth) {
        this.tokens = new ArrayList<>(tokens);
        this.deadline = deadline;
        this.maxDepth = maxDepth;
    }

    /** Parses all of {@code tokens} as one expression or throws {@link AnswerSyntaxException}. */
    static Node parse(List<Token> tokens, Deadline deadline, int maxDepth) {
        if (tokens.isEmpty()) {
            throw new AnswerSyntaxException("empty expression");
        }
        ExpressionParser parser = new ExpressionParser(tokens, deadline, maxDepth);
        Node node = parser.expression();
        if (parser.position != parser.tokens.size()) {
            throw new AnswerSyntaxException("unexpected '" + parser.tokens.get(parser.position) + "'");
        }
        return node;
    }

    private Node expression() {
        enter();
        Node node = term();
        while (peekSymbol("+") || peekSymbol("-")) {
            char operator = next().text().charAt(0);
            node = new Node.Binary(operator, node, term());
        }
        depth--;
        return node;
    }

    private Node term() {
        Node node = signed();
        while (true) {
            deadline.check();
            Token token = peek();
            if (token == null) {
                return node;
            }
            if (token.isSymbol("*") || token.isCommand("cdot") || token.isCommand("times")) {
                position++;
                node = new Node.Binary('*', node, signed());
            } else if (token.isSymbol("/") || token.isCommand("div")) {
                position++;
                node = new Node.Binary('/', node, signed());
            } else if (startsImplicitFactor(token)) {
                node = new Node.Binary('*', node, power());
            } else {
                return node;
            }
        }
    }

    private Node signed() {
        enter();
        Node node;
        if (peekSymbol("-")) {
            position++;
            node = new Node.Negation(signed());
        } else if (peekSymbol("+")) {
            position++;
            node = signed();
        } else {
            node = power();
        }
        depth--;
        return node;
    }

    private Node power() {
        Node base = postfix();
        if (peekSymbol("^")) {
            position++;
            return new Node.Binary('^', base, exponent());
        }
        return base;
    }

    /** Exponents associate to the right: {@code 2^3^2} is {@code 2^(3^2)}. */
    private Node exponent() {
        enter();
        Node operand;
        if (peekSymbol("-")) {
            position++;
            operand = new Node.Negation(exponent());
        } else {
            operand = postfixOf(group());
            if (peekSymbol("^")) {
                position++;
                operand = new Node.Binary('^', operand, exponent());
            }
        }
        depth--;
        return operand;
    }

    private Node postfix() {
        return postfixOf(primary());
    }

    private Node postfixOf(Node node) {
        while (peekSymbol("!")) {
            position++;
            node = new Node.Factorial(node);
        }
        return node;
    }

    private Node primary() {
        enter();
        deadline.check();
        Token token = next();
        if (token == null) {
            throw new AnswerSyntaxException("expression ends early");
        }
        Node node = switch (token.kind()) {
            case NUMBER -> number(token);
            case LETTER -> variable(token.text());
            case COMMAND -> command(token);
            case SYMBOL -> bracket(token);
        };
        depth--;
        return node;
    }

    private Node number(Token token) {
        Rational value = Rational.parseDecimal(token.text());
        if (!token.text().contains(".")) {
            Rational fraction = mixedFraction();
            if (fraction != null) {
                return new Node.Number(value.add(fraction));
            }
        }
        return new Node.Number(value);
    }

    /** Returns the fraction part of a mixed number after an integer, or null; consumes tokens only on a full match. */
    private Rational mixedFraction() {
        int start = position;
        Token token = peek();
        if (token != null && token.isCommand("frac")) {
            position++;
            Rational[] parts = fractionArguments();
            if (parts != null && parts[1].signum() > 0 && parts[0].compareTo(parts[1]) < 0) {
                return parts[0].divide(parts[1]);
            }
        } else if (token != null && token.kind() == Token.Kind.NUMBER && token.spaceBefore()
                && isInteger(token) && position + 3 == tokens.size()
                && tokens.get(position + 1).isSymbol("/") && isInteger(tokens.get(position + 2))) {
            Rational numerator = Rational.parseDecimal(token.text());
            Rational denominator = Rational.parseDecimal(tokens.get(position + 2).text());
            if (denominator.signum() > 0 && numerator.compareTo(denominator) < 0) {
                position += 3;
                return numerator.divide(denominator);
            }
        }
        position = start;
        return null;
    }

    /** Returns the integer arguments of {@code \frac{a}{b}} or {@code \frac12}, or null; consumes them only on success. */
    private Rational[] fractionArguments() {
        Token token = peek();
        if (token != null && isInteger(token) && token.text().length() == 2) {
            position++;
            return new Rational[] {
                Rational.of(token.text().charAt(0) - '0'), Rational.of(token.text().charAt(1) - '0')
            };
        }
        if (braced(position) && braced(position + 3)) {
            Rational numerator = Rational.parseDecimal(tokens.get(position + 1).text());
            Rational denominator = Rational.parseDecimal(tokens.get(position + 4).text());
            position += 6;
            return new Rational[] {numerator, denominator};
        }
        return null;
    }

    private boolean braced(int at) {
        return at + 2 < tokens.size() && tokens.get(at).isSymbol("{") && isInteger(tokens.get(at + 1))
                && tokens.get(at + 2).isSymbol("}");
    }

    private static boolean isInteger(Token token) {
        return token.kind() == Token.Kind.NUMBER && !token.text().contains(".");
    }

    /** Parses a letter with an optional subscript: {@code x}, {@code x_1}, {@code a_{n+1}}. */
    private Node variable(String name) {
        if (peekSymbol("_")) {
            position++;
            name = name + "_" + subscriptText();
        }
        return new Node.Variable(name);
    }

    private String subscriptText() {
        Token token = next();
        if (token == null) {
            throw new AnswerSyntaxException("subscript missing");
        }
        if (!token.isSymbol("{")) {
            return token.toString();
        }
        StringBuilder text = new StringBuilder();
        int braces = 1;
        while (true) {
            Token inner = next();
            if (inner == null) {
                throw new AnswerSyntaxException("unclosed subscript");
            }
            if (inner.isSymbol("{")) {
                braces++;
            } else if (inner.isSymbol("}") && --braces == 0) {
                return text.toString();
            }
            text.append(inner);
        }
    }

    private Node command(Token token) {
        String name = token.text();
        switch (name) {
            case "frac":
                return new Node.Binary('/', group(), group());
            case "sqrt": {
                Node degree = null;
                if (peekSymbol("[")) {
                    position++;
                    degree = expression();
                    expectSymbol("]");
                }
                return new Node.Root(group(), degree);
            }
            case "binom":
                return new Node.Binomial(group(), group());
            case "pi":
            case "infty":
                return new Node.Constant(name);
            case "lfloor":
                return closedFunction("floor", "rfloor");
            case "lceil":
                return closedFunction("ceil", "rceil");
            case "{": {
                Node inner = expression();
                expectCommand("}");
                return inner;
            }
            default:
                break;
        }
        if (GREEK.contains(name)) {
            return variable("\\" + name);
        }
        if (FUNCTIONS.contains(name)) {
            return function(name);
        }
        throw new AnswerSyntaxException("unsupported command \\" + name);
    }

    private Node closedFunction(String name, String closer) {
        Node inner = expression();
        expectCommand(closer);
        return new Node.Function(name, inner, null);
    }

    /** Parses a function call: {@code \sin x}, {@code \sin(x)}, {@code \sin^2 x}, {@code \log_2 8}, {@code \log_{2}(8)}. */
    private Node function(String name) {
        Node base = null;
        Node power = null;
        if (peekSymbol("_")) {
            position++;
            base = group();
        }
        if (peekSymbol("^")) {
            position++;
            power = group();
        }
        Node argument = peekSymbol("(") || peekSymbol("{") ? primary() : power();
        Node call = new Node.Function(name, argument, base);
        return power == null ? call : new Node.Binary('^', call, power);
    }

    private Node bracket(Token token) {
        switch (token.text()) {
            case "(": {
                Node inner = expression();
                expectSymbol(")");
                return inner;
            }
            case "[": {
                Node inner = expression();
                expectSymbol("]");
                return inner;
            }
            case "{": {
                Node inner = expression();
                expectSymbol("}");
                return inner;
            }
            case "|": {
                Node inner = expression();
                expectSymbol("|");
                return new Node.Function("abs", inner, null);
            }
            default:
                throw new AnswerSyntaxException("unexpected '" + token + "'");
        }
    }

    /**
     * Parses a braced group or a single token, as LaTeX reads macro arguments: {@code \frac12} is
     * {@code \frac{1}{2}}, so a multi-digit number gives up its first digit only.
     */
    private Node group() {
        Token token = peek();
        if (token == null) {
            throw new AnswerSyntaxException("argument missing");
        }
        if (token.isSymbol("{")) {
            position++;
            Node inner = expression();
            expectSymbol("}");
            return inner;
        }
        if (token.kind() == Token.Kind.NUMBER && token.text().length() > 1) {
            String digits = token.text();
            tokens.set(position, new Token(Token.Kind.NUMBER, digits.substring(1), false));
            if (digits.charAt(1) == '.') {
                throw new AnswerSyntaxException("ambiguous argument '" + digits + "'");
            }
            return new Node.Number(Rational.of(digits.charAt(0) - '0'));
        }
        if (token.kind() == Token.Kind.NUMBER) {
            position++;
            return new Node.Number(Rational.parseDecimal(token.text()));
        }
        return primary();
    }

    private boolean startsImplicitFactor(Token token) {
        return switch (token.kind()) {
            case NUMBER, LETTER -> true;
            case SYMBOL -> token.text().equals("(") || token.text().equals("{");
            case COMMAND -> token.text().equals("frac") || token.text().equals("sqrt")
                    || token.text().equals("binom") || token.text().equals("pi")
                    || token.text().equals("lfloor") || token.text().equals("lceil")
                    || GREEK.contains(token.text()) || FUNCTIONS.contains(token.text());
        };
    }

    private void enter() {
        if (++depth > maxDepth) {
            throw new GradingStoppedException("answer nesting is deeper than the limit of " + maxDepth);
        }
    }

    private Token peek() {
        return position < tokens.size() ? tokens.get(position) : null;
    }

    private Token next() {
        return position < tokens.size() ? tokens.get(position++) : null;
    }

    private boolean peekSymbol(String symbol) {
        Token token = peek();
        return token != null && token.isSymbol(symbol);
    }

    private void expectSymbol(String symbol) {
        Token token = next();
        if (token == null || !token.isSymbol(symbol)) {
            throw new AnswerSyntaxException("expected '" + symbol + "', found " + (token == null ? "the end" : "'" + token + "'"));
        }
    }

    private void expectCommand(String name) {
        Token token = next();
        if (token == null || !token.isCommand(name)) {
            throw new AnswerSyntaxException("expected '\\" + name + "', found " + (token == null ? "the end" : "'" + token + "'"));
        }
    }
}
