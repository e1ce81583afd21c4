package dev.stepwise.dataset.arrow.internal;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Field factories and typed cell access for the list and string columns of stepwise's Arrow files. */
public final class Columns {

    public static final ArrowType INT8 = new ArrowType.Int(8, true);
    public static final ArrowType INT32 = new ArrowType.Int(32, true);
    public static final ArrowType INT64 = new ArrowType.Int(64, true);
    public static final ArrowType FLOAT32 = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    public static final ArrowType UTF8 = ArrowType.Utf8.INSTANCE;

    private Columns() {
    }

    public static Field scalar(String name, ArrowType type, boolean nullable) {
        return new Field(name, nullable ? FieldType.nullable(type) : FieldType.notNullable(type), null);
    }

    /** Returns a non-null list column of non-null items, with the item field named {@code item} as in pyarrow. */
    public static Field list(String name, ArrowType itemType) {
        return new Field(name, FieldType.notNullable(ArrowType.List.INSTANCE),
                List.of(new Field("item", FieldType.notNullable(itemType), null)));
    }

    public static void setString(FieldVector vector, int row, String value) {
        VarCharVector strings = (VarCharVector) vector;
        if (value == null) {
            strings.setNull(row);
        } else {
            strings.setSafe(row, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    public static String getString(FieldVector vector, int row) {
        VarCharVector strings = (VarCharVector) vector;
        return strings.isNull(row) ? null : new String(strings.get(row), StandardCharsets.UTF_8);
    }

    public static void setStrings(FieldVector vector, int row, List<String> values) {
        ListVector list = (ListVector) vector;
        int offset = list.startNewValue(row);
        VarCharVector items = (VarCharVector) list.getDataVector();
        for (int i = 0; i < values.size(); i++) {
            items.setSafe(offset + i, values.get(i).getBytes(StandardCharsets.UTF_8));
        }
        list.endValue(row, values.size());
    }

    public static List<String> getStrings(FieldVector vector, int row) {
        ListVector list = (ListVector) vector;
        VarCharVector items = (VarCharVector) list.getDataVector();
        int start = list.getElementStartIndex(row);
        int end = list.getElementEndIndex(row);
        List<String> values = new ArrayList<>(end - start);
        for (int i = start; i < end; i++) {
            values.add(new String(items.get(i), StandardCharsets.UTF_8));
        }
        return values;
    }

    public static void setLongs(FieldVector vector, int row, long[] values) {
        ListVector list = (ListVector) vector;
        int offset = list.startNewValue(row);
        BigIntVector items = (BigIntVector) list.getDataVector();
        for (int i = 0; i < values.length; i++) {
            items.setSafe(offset + i, values[i]);
        }
        list.endValue(row, values.length);
    }

    public static long[] getLongs(FieldVector vector, int row) {
        ListVector list = (ListVector) vector;
        BigIntVector items = (BigIntVector) list.getDataVector();
        int start = list.getElementStartIndex(row);
        long[] values = new long[list.getElementEndIndex(row) - start];
        for (int i = 0; i < values.length; i++) {
            values[i] = items.get(start + i);
        }
        return values;
    }

    public static void setInts(FieldVector vector, int row, int[] values) {
        ListVector list = (ListVector) vector;
        if (values == null) {
            list.setNull(row);
            return;
        }
        int offset = list.startNewValue(row);
        IntVector items = (IntVector) list.getDataVector();
        for (int i = 0; i < values.length; i++) {
            items.setSafe(offset + i, values[i]);
        }
        list.endValue(row, values.length);
    }

    public static int[] getInts(FieldVector vector, int row) {
        ListVector list = (ListVector) vector;
        if (list.isNull(row)) {
            return null;
        }
        IntVector items = (IntVector) list.getDataVector();
        int start = list.getElementStartIndex(row);
        int[] values = new int[list.getElementEndIndex(row) - start];
        for (int i = 0; i < values.length; i++) {
            values[i] = items.get(start + i);
        }
        return values;
    }

    /** Writes labels into a list column of int8 (hard labels) or float32 (soft labels). */
    public static void setLabels(FieldVector vector, int row, float[] labels) {
        ListVector list = (ListVector) vector;
        int offset = list.startNewValue(row);
        FieldVector items = list.getDataVector();
        for (int i = 0; i < labels.length; i++) {
            if (items instanceof TinyIntVector bytes) {
                bytes.setSafe(offset + i, (byte) labels[i]);
            } else {
                ((Float4Vector) items).setSafe(offset + i, labels[i]);
            }
        }
        list.endValue(row, labels.length);
    }

    public static float[] getLabels(FieldVector vector, int row) {
        ListVector list = (ListVector) vector;
        FieldVector items = list.getDataVector();
        int start = list.getElementStartIndex(row);
        float[] labels = new float[list.getElementEndIndex(row) - start];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = items instanceof TinyIntVector bytes ? bytes.get(start + i) : ((Float4Vector) items).get(start + i);
        }
        return labels;
    }
}
