package dev.stepwise.dataset.grading.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the structure of a normalised answer: unions of intervals, bare lists, bracketed tuples,
 * sets and intervals, {@code x = ...} and {@code x \in ...} prefixes, equations, single-variable
 * inequalities (turned into intervals), {@code a \pm b} (the set of both values) and scalar expressions. What it
 * cannot read becomes {@link Answer.Text}.
 */
final class AnswerParser {

    private static final Pattern COMMAND = Pattern.compile("\\\\[A-Za-z]+");
    private static final Pattern WORD = Pattern.compile("[A-Za-z]{2,}");
    // Two-letter English words; longer letter runs are always words. Other pairs such as "xy" are products.
    private static final Set<String> SHORT_WORDS = Set.of(
            "an", "as", "at", "be", "by", "do", "if", "in", "is", "it", "no", "of", "on", "or", "so",
            "to", "up", "we");
    private static final Set<String> RELATIONS = Set.of("<", ">", "<=", ">=", "=", "!=");
    private static final Set<String> RELATION_COMMANDS = Set.of(
            "le", "leq", "leqslant", "ge", "geq", "geqslant", "lt", "gt", "ne", "neq", "in");

    private final Deadline deadline;
    private final int maxDepth;
    private int depth;

    private AnswerParser(Deadline deadline, int maxDepth) {
        this.deadline = deadline;
        this.maxDepth = maxDepth;
    }

    static Answer parse(String normalized, Deadline deadline, int maxDepth) {
        if (containsWord(normalized)) {
            return new Answer.Text(normalized);
        }
        List<Token> tokens = Lexer.tokenize(normalized, deadline);
        try {
            return new AnswerParser(deadline, maxDepth).structure(tokens);
        } catch (AnswerSyntaxException e) {
            return new Answer.Text(normalized);
        }
    }

    /** Returns whether the text contains an English word outside LaTeX command names. */
    static boolean containsWord(String text) {
        Matcher words = WORD.matcher(COMMAND.matcher(text).replaceAll(" "));
        while (words.find()) {
            String word = words.group();
            if (word.length() > 2 || SHORT_WORDS.contains(word.toLowerCase())) {
                return true;
            }
        }
        return false;
    }

    private Answer structure(List<Token> tokens) {
        if (++depth > maxDepth) {
            throw new GradingStoppedException("answer nesting is deeper than the limit of " + maxDepth);
        }
        deadline.check();
        try {
            // A copy, because a view of a view of ... makes every access walk the whole view chain.
            return structureAtDepth(new ArrayList<>(tokens));
        } finally {
            depth--;
        }
    }

    private Answer structureAtDepth(List<Token> tokens) {
        if (tokens.isEmpty()) {
            throw new AnswerSyntaxException("empty answer");
        }
        List<List<Token>> unionParts = splitTopLevel(tokens, token -> token.isCommand("cup"));
        if (unionParts.size() > 1) {
            List<Answer> parts = new ArrayList<>();
            for (List<Token> part : unionParts) {
                parts.add(structure(part));
            }
            return new Answer.Union(parts);
        }
        List<List<Token>> items = splitTopLevel(tokens, token -> token.isSymbol(","));
        if (items.size() > 1) {
            return new Answer.Collection("", "", structureAll(items));
        }
        if (hasTopLevel(tokens, AnswerParser::isRelation)) {
            return relation(tokens);
        }
        int close = matchingCloser(tokens, 0);
        boolean floorOrCeiling = tokens.get(0).isCommand("lfloor") || tokens.get(0).isCommand("lceil");
        if (close == tokens.size() - 1 && !floorOrCeiling) {
            return bracketed(tokens);
        }
        List<List<Token>> plusMinus = splitTopLevel(tokens, token -> token.isCommand("pm") || token.isCommand("mp"));
        if (plusMinus.size() == 2) {
            return plusMinus(plusMinus.get(0), plusMinus.get(1));
        }
        return new Answer.Scalar(ExpressionParser.parse(tokens, deadline, maxDepth));
    }

    private List<Answer> structureAll(List<List<Token>> items) {
        List<Answer> answers = new ArrayList<>();
        for (List<Token> item : items) {
            answers.add(structure(item));
        }
        return answers;
    }

    /** {@code (a, b)}, {@code [a, b)}, {@code \{a, b\}}, {@code \langle a, b \rangle}, or a grouped answer. */
    private Answer bracketed(List<Token> tokens) {
        Token first = tokens.get(0);
        Token last = tokens.get(tokens.size() - 1);
        List<Token> inner = tokens.subList(1, tokens.size() - 1);
        List<List<Token>> items = splitTopLevel(inner, token -> token.isSymbol(","));
        // A plain brace pair is a set only when it lists several elements; {5} is TeX grouping.
        boolean set = first.isCommand("{") || (first.isSymbol("{") && items.size() > 1);
        if (items.size() > 1 || set) {
            String open = set ? "{" : first.isCommand("langle") ? "(" : first.text();
            String close = set ? "}" : last.isCommand("rangle") ? ")" : last.text();
            return new Answer.Collection(open, close, structureAll(items));
        }
        // A single bracketed value is grouping, not a one-element tuple.
        return structure(inner);
    }

    private Answer plusMinus(List<Token> left, List<Token> right) {
        Node base = ExpressionParser.parse(left, deadline, maxDepth);
        Node offset = ExpressionParser.parse(right, deadline, maxDepth);
        return new Answer.Collection("{", "}", List.of(
                new Answer.Scalar(new Node.Binary('+', base, offset)),
                new Answer.Scalar(new Node.Binary('-', base, offset))));
    }

    /**
     * {@code x = v} and {@code v = x} give an assignment; any other {@code a = b} gives an equation;
     * {@code x \in S} gives {@code S}; an inequality in one variable gives its solution interval
     * ({@code x \ne c} gives a union of two intervals).
     */
    private Answer relation(List<Token> tokens) {
        List<Token> operators = new ArrayList<>();
        List<List<Token>> operands = splitTopLevel(tokens, token -> {
            if (isRelation(token)) {
                operators.add(token);
                return true;
            }
            return false;
        });
        String first = operatorName(operators.get(0));
        if (first.equals("in") && operators.size() == 1 && isSingleVariable(operands.get(0))) {
            return structure(operands.get(1));
        }
        if (operators.stream().allMatch(op -> operatorName(op).equals("="))) {
            if (isSingleVariable(operands.get(0))) {
                return assignment(operands.get(0), operands.get(operands.size() - 1));
            }
            if (operands.size() == 2 && isSingleVariable(operands.get(1))) {
                return assignment(operands.get(1), operands.get(0));
            }
            if (operands.size() == 2) {
                return new Answer.Equation(new Node.Binary('-',
                        ExpressionParser.parse(operands.get(0), deadline, maxDepth),
                        ExpressionParser.parse(operands.get(1), deadline, maxDepth)));
            }
            throw new AnswerSyntaxException("chain of several equals signs");
        }
        return inequality(operators, operands);
    }

    private Answer assignment(List<Token> variable, List<Token> value) {
        Node.Variable name = (Node.Variable) ExpressionParser.parse(variable, deadline, maxDepth);
        return new Answer.Assignment(name, structure(value));
    }

    private Answer inequality(List<Token> operators, List<List<Token>> operands) {
        List<Node> nodes = new ArrayList<>();
        for (List<Token> operand : operands) {
            nodes.add(ExpressionParser.parse(operand, deadline, maxDepth));
        }
        if (nodes.size() == 2) {
            String op = operatorName(operators.get(0));
            if (isVariable(nodes.get(0)) && isConstant(nodes.get(1))) {
                return bound(op, nodes.get(1));
            }
            if (isVariable(nodes.get(1)) && isConstant(nodes.get(0))) {
                return bound(mirror(op), nodes.get(0));
            }
        }
        if (nodes.size() == 3 && isConstant(nodes.get(0)) && isVariable(nodes.get(1)) && isConstant(nodes.get(2))) {
            String left = operatorName(operators.get(0));
            String right = operatorName(operators.get(1));
            if (isLess(left) && isLess(right)) {
                return interval(left, nodes.get(0), nodes.get(2), right);
            }
            if (isGreater(left) && isGreater(right)) {
                return interval(mirror(right), nodes.get(2), nodes.get(0), mirror(left));
            }
        }
        throw new AnswerSyntaxException("relation is not an inequality in one variable");
    }

    /** Solution set of {@code x op c}. */
    private static Answer bound(String op, Node value) {
        Node infinity = new Node.Constant("infty");
        Node minusInfinity = new Node.Negation(infinity);
        return switch (op) {
            case "<" -> interval("<", minusInfinity, value, "<");
            case "<=" -> interval("<", minusInfinity, value, "<=");
            case ">" -> interval("<", value, infinity, "<");
            case ">=" -> interval("<=", value, infinity, "<");
            case "!=" -> new Answer.Union(List.of(
                    interval("<", minusInfinity, value, "<"), interval("<", value, infinity, "<")));
            default -> throw new AnswerSyntaxException("unsupported relation " + op);
        };
    }

    private static Answer interval(String leftOp, Node low, Node high, String rightOp) {
        return new Answer.Collection(
                leftOp.equals("<=") ? "[" : "(",
                rightOp.equals("<=") ? "]" : ")",
                List.of(new Answer.Scalar(low), new Answer.Scalar(high)));
    }

    private static String operatorName(Token token) {
        if (token.kind() == Token.Kind.SYMBOL) {
            return token.text();
        }
        return switch (token.text()) {
            case "le", "leq", "leqslant" -> "<=";
            case "ge", "geq", "geqslant" -> ">=";
            case "lt" -> "<";
            case "gt" -> ">";
            case "ne", "neq" -> "!=";
            default -> token.text();
        };
    }

    private static String mirror(String op) {
        return switch (op) {
            case "<" -> ">";
            case ">" -> "<";
            case "<=" -> ">=";
            case ">=" -> "<=";
            default -> op;
        };
    }

    private static boolean isLess(String op) {
        return op.equals("<") || op.equals("<=");
    }

    private static boolean isGreater(String op) {
        return op.equals(">") || op.equals(">=");
    }

    private static boolean isVariable(Node node) {
        return node instanceof Node.Variable;
    }

    private static boolean isConstant(Node node) {
        Set<String> names = new HashSet<>();
        node.collectVariables(names);
        return names.isEmpty();
    }

    private boolean isSingleVariable(List<Token> tokens) {
        try {
            return ExpressionParser.parse(tokens, deadline, maxDepth) instanceof Node.Variable;
        } catch (AnswerSyntaxException e) {
            return false;
        }
    }

    private static boolean isRelation(Token token) {
        return (token.kind() == Token.Kind.SYMBOL && RELATIONS.contains(token.text()))
                || (token.kind() == Token.Kind.COMMAND && RELATION_COMMANDS.contains(token.text()));
    }

    private boolean hasTopLevel(List<Token> tokens, Predicate<Token> test) {
        return splitTopLevel(tokens, test).size() > 1;
    }

    /** Splits at tokens that match {@code separator} outside every bracket pair. */
    private List<List<Token>> splitTopLevel(List<Token> tokens, Predicate<Token> separator) {
        List<List<Token>> parts = new ArrayList<>();
        int level = 0;
        int start = 0;
        for (int i = 0; i < tokens.size(); i++) {
            deadline.check();
            Token token = tokens.get(i);
            if (isOpener(token)) {
                level++;
            } else if (isCloser(token)) {
                level--;
            } else if (level == 0 && separator.test(token)) {
                parts.add(tokens.subList(start, i));
                start = i + 1;
            }
        }
        parts.add(tokens.subList(start, tokens.size()));
        return parts;
    }

    /** Index of the bracket closing the opener at {@code open}, or -1 when that token is not an opener. */
    private int matchingCloser(List<Token> tokens, int open) {
        if (!isOpener(tokens.get(open))) {
            return -1;
        }
        int level = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (isOpener(tokens.get(i))) {
                level++;
            } else if (isCloser(tokens.get(i)) && --level == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isOpener(Token token) {
        return token.isSymbol("(") || token.isSymbol("[") || token.isSymbol("{")
                || token.isCommand("{") || token.isCommand("langle")
                || token.isCommand("lfloor") || token.isCommand("lceil");
    }

    private static boolean isCloser(Token token) {
        return token.isSymbol(")") || token.isSymbol("]") || token.isSymbol("}")
                || token.isCommand("}") || token.isCommand("rangle")
                || token.isCommand("rfloor") || token.isCommand("rceil");
    }
}
