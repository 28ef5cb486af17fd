package io.shardsync.verify;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

/**
 * The order a report lists row keys in: column by column, numbers by value, anything else as text.
 */
final class KeyOrder implements Comparator<List<String>> {
    static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {}

    @Override
    public int compare(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = compareValues(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int compareValues(String a, String b) {
        try {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        } catch (NumberFormatException notNumbers) {
            return a.compareTo(b);
        }
    }
}
