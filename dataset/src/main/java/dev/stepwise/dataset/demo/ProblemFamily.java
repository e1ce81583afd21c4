package dev.stepwise.dataset.demo;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;

/**
 * The templates of demo word problems. Each family is built so that one kind of slip of
 * {@link Slip} can occur in it: multi-digit sums with carries, subtraction below zero, and decimals
 * whose digit-by-digit comparison gives the wrong order.
 */
public enum ProblemFamily {
    /** {@code count * price + extra}: a multiplication with a carry, then an addition. */
    SHOPPING,
    /** {@code a + b + c - d} on two-digit numbers: carries and borrows. */
    INVENTORY,
    /** {@code t - fall + rise} where the fall is larger than {@code t}: negative numbers. */
    TEMPERATURE,
    /** {@code max(x.ab, x.c) + extra} where comparing the digits after the point picks the wrong one. */
    DECIMALS;

    private static final String[] NAMES = {"Lena", "Omar", "Mia", "Ravi", "Sofia", "Jonas", "Aiko", "Tariq"};

    /** Draws one problem of this family from {@code random}. */
    public ArithmeticProblem sample(String id, Random random) {
        String name = NAMES[random.nextInt(NAMES.length)];
        return switch (this) {
            case SHOPPING -> shopping(id, name, random);
            case INVENTORY -> inventory(id, random);
            case TEMPERATURE -> temperature(id, random);
            case DECIMALS -> decimals(id, name, random);
        };
    }

    private ArithmeticProblem shopping(String id, String name, Random random) {
        int price = between(random, 3, 9);
        int count = between(random, 12, 49);
        int extra = between(random, 11, 89);
        String text = "Notebooks cost " + price + " dollars each. " + name + " buys " + count
                + " notebooks and a " + extra + "-dollar backpack. How many dollars does " + name + " spend?";
        return new ArithmeticProblem(id, text, this, integer(count), List.of(
                new Operation(Operator.MULTIPLY, integer(price)),
                new Operation(Operator.ADD, integer(extra))));
    }

    private ArithmeticProblem inventory(String id, Random random) {
        int stock = between(random, 21, 79);
        int may = between(random, 13, 68);
        int june = between(random, 13, 68);
        int givenAway = between(random, 12, 59);
        String text = "A library has " + stock + " books, buys " + may + " in May and " + june
                + " in June, then gives away " + givenAway + ". How many books are left?";
        return new ArithmeticProblem(id, text, this, integer(stock), List.of(
                new Operation(Operator.ADD, integer(may)),
                new Operation(Operator.ADD, integer(june)),
                new Operation(Operator.SUBTRACT, integer(givenAway))));
    }

    private ArithmeticProblem temperature(String id, Random random) {
        int noon = between(random, 2, 19);
        int fall = between(random, noon + 3, 40);
        int rise = between(random, 2, 15);
        String text = "It is " + noon + " degrees at noon. It falls " + fall + " degrees by night, then rises "
                + rise + " degrees by morning. What is the morning temperature?";
        return new ArithmeticProblem(id, text, this, integer(noon), List.of(
                new Operation(Operator.SUBTRACT, integer(fall)),
                new Operation(Operator.ADD, integer(rise))));
    }

    private ArithmeticProblem decimals(String id, String name, Random random) {
        // x.c against x.ab with ab > c but x.ab < x.c, for example 9.11 against 9.8.
        int whole = between(random, 2, 12);
        int tenths = between(random, 2, 9);
        int hundredths = between(random, tenths + 1, 10 * tenths - 1);
        if (hundredths % 10 == 0) {
            hundredths += 1;
        }
        BigDecimal shortDecimal = BigDecimal.valueOf(whole * 10L + tenths, 1);
        BigDecimal longDecimal = BigDecimal.valueOf(whole * 100L + hundredths, 2);
        BigDecimal extra = BigDecimal.valueOf(between(random, 11, 49), 1);
        boolean longFirst = random.nextBoolean();
        BigDecimal monday = longFirst ? longDecimal : shortDecimal;
        BigDecimal tuesday = longFirst ? shortDecimal : longDecimal;
        String text = name + " runs " + Numbers.format(monday) + " km on Monday and " + Numbers.format(tuesday)
                + " km on Tuesday, then the longer distance plus " + Numbers.format(extra)
                + " km on Wednesday. How far does " + name + " run on Wednesday?";
        return new ArithmeticProblem(id, text, this, monday, List.of(
                new Operation(Operator.MAX, tuesday),
                new Operation(Operator.ADD, extra)));
    }

    private static int between(Random random, int minInclusive, int maxInclusive) {
        return minInclusive + random.nextInt(maxInclusive - minInclusive + 1);
    }

    private static BigDecimal integer(int value) {
        return BigDecimal.valueOf(value);
    }
}
