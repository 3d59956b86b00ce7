package dev.agentgateway.policy.cedar;

import com.cedarpolicy.value.CedarList;
import com.cedarpolicy.value.CedarMap;
import com.cedarpolicy.value.Decimal;
import com.cedarpolicy.value.PrimBool;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain Java values (what protocol modules put in an {@code Operation}'s context: JSON converted to
 * maps, lists, strings, numbers, booleans) as Cedar values. Integers become {@code Long}; fractions
 * become {@code decimal} when Cedar can hold them (4 decimal places) and strings otherwise; nulls are
 * left out, since Cedar has none. Nesting deeper than Cedar accepts is cut off, which makes a policy
 * that reads it fail and so deny.
 */
final class CedarValues {
    static final int MAX_DEPTH = 24;
    private static final BigDecimal DECIMAL_LIMIT = new BigDecimal("922337203685477");

    private CedarValues() {
    }

    /** The Cedar value of {@code value}, or {@code null} when Cedar has none for it. */
    static Value of(Object value) {
        return of(value, 0);
    }

    private static Value of(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            return null;
        }
        return switch (value) {
            case null -> null;
            case Value cedar -> cedar;
            case String string -> new PrimString(string);
            case Boolean bool -> new PrimBool(bool);
            case Integer number -> new PrimLong(number);
            case Long number -> new PrimLong(number);
            case Short number -> new PrimLong(number);
            case Byte number -> new PrimLong(number);
            case BigInteger number -> number.bitLength() < 64 ? new PrimLong(number.longValue()) : new PrimString(number.toString());
            case Number number -> fraction(new BigDecimal(number.toString()));
            case Map<?, ?> map -> record(map, depth);
            case Collection<?> collection -> list(collection, depth);
            default -> new PrimString(value.toString());
        };
    }

    private static Value fraction(BigDecimal number) {
        BigDecimal stripped = number.stripTrailingZeros();
        if (stripped.scale() <= 4 && stripped.abs().compareTo(DECIMAL_LIMIT) < 0) {
            return new Decimal(stripped.setScale(Math.max(1, stripped.scale())).toPlainString());
        }
        return new PrimString(number.toString());
    }

    private static Value record(Map<?, ?> map, int depth) {
        Map<String, Value> record = new HashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Value value = of(entry.getValue(), depth + 1);
            if (value != null && entry.getKey() != null) {
                record.put(entry.getKey().toString(), value);
            }
        }
        return new CedarMap(record);
    }

    private static Value list(Collection<?> collection, int depth) {
        List<Value> values = new ArrayList<>();
        for (Object element : collection) {
            Value value = of(element, depth + 1);
            if (value != null) {
                values.add(value);
            }
        }
        return new CedarList(values);
    }
}
