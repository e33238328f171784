package com.facecheck.contract;

import com.facecheck.identity.KeyedHasher;
import com.facecheck.identity.Masking;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which of the person's fields a result shows besides {@code personId}, which it always carries when the ID number
 * was usable. Results are read by more services than the one that sent the request, so the default is the least
 * that still lets a person recognise their own request: the masked name.
 *
 * <p>The masked ID number cannot go with the birthday, the sex or the region: it shows digits 1–4 and 17–18, the
 * region gives digits 1–6 and the birthday digits 7–14, the sex repeats digit 17's parity, and the check character
 * then leaves a handful of numbers (9 for {@code 35020319900101123X}).
 */
public record PersonFields(Set<Field> fields) {

    /** A field of the person a result can show, by the name the configuration gives it. */
    public enum Field {
        MASKED_NAME("masked-name"),
        MASKED_ID_NUMBER("masked-id-number"),
        BIRTHDAY("birthday"),
        SEX("sex"),
        /** The administrative region of the ID number: the provider's {@code address}, or read from the number. */
        REGION("region");

        private final String label;

        Field(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final Set<Field> NARROWING_THE_ID_NUMBER = EnumSet.of(Field.BIRTHDAY, Field.SEX, Field.REGION);
    /** Sets this key apart from the worker's internal keys, so that a result's personId finds nothing in them. */
    private static final String PERSON_ID_LABEL = "person-id";

    public static final PersonFields DEFAULT = of(Field.MASKED_NAME);

    public PersonFields {
        Objects.requireNonNull(fields, "fields");
        fields = Collections.unmodifiableSet(fields.isEmpty() ? EnumSet.noneOf(Field.class) : EnumSet.copyOf(fields));
        if (fields.contains(Field.MASKED_ID_NUMBER) && fields.stream().anyMatch(NARROWING_THE_ID_NUMBER::contains)) {
            throw new IllegalArgumentException("result person fields " + labels(fields) + ": masked-id-number cannot"
                    + " go with birthday, sex or region. The masked number shows digits 1-4 and 17-18, the region adds"
                    + " digits 1-6, the birthday 7-14 and the sex the parity of 17; with them the check character"
                    + " leaves a handful of candidates for the whole number (9 for 35020319900101123X). Choose the"
                    + " masked ID number or those fields");
        }
    }

    public static PersonFields of(Field... fields) {
        Set<Field> set = EnumSet.noneOf(Field.class);
        Collections.addAll(set, fields);
        return new PersonFields(set);
    }

    /**
     * Labels separated by commas, e.g. {@code masked-name,birthday}; an empty text shows no field but personId.
     *
     * @throws IllegalArgumentException naming an unknown label and the known ones, or a refused combination
     */
    public static PersonFields parse(String labels) {
        Set<Field> fields = EnumSet.noneOf(Field.class);
        for (String label : labels.split(",")) {
            String wanted = label.strip().toLowerCase(Locale.ROOT);
            if (wanted.isEmpty()) {
                continue;
            }
            fields.add(Arrays.stream(Field.values()).filter(f -> f.label().equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("'" + label.strip() + "' is not a person field;"
                            + " the fields are " + labels(EnumSet.allOf(Field.class)))));
        }
        return new PersonFields(fields);
    }

    public boolean includes(Field field) {
        return fields.contains(field);
    }

    /** The name as a result shows it (masked), or null when it shows none. */
    public String name(String name) {
        return includes(Field.MASKED_NAME) ? Masking.name(name) : null;
    }

    /** The ID number as a result shows it (masked), or null when it shows none. */
    public String idNumber(String idNumber) {
        return includes(Field.MASKED_ID_NUMBER) ? Masking.idNumber(idNumber) : null;
    }

    public String birthday(String birthday) {
        return includes(Field.BIRTHDAY) ? birthday : null;
    }

    public String sex(String sex) {
        return includes(Field.SEX) ? sex : null;
    }

    public String region(String region) {
        return includes(Field.REGION) ? region : null;
    }

    /**
     * The person's identifier in results: the same for every request with this ID number, under the same hash
     * secret, and useless without it.
     *
     * @param normalizedIdNumber the 18-character form, so that a legacy 15-digit number gets the same id
     */
    public static String personId(KeyedHasher keys, String normalizedIdNumber) {
        return keys.hex(PERSON_ID_LABEL, normalizedIdNumber);
    }

    @Override
    public String toString() {
        return labels(fields);
    }

    private static String labels(Set<Field> fields) {
        return fields.stream().map(Field::label).collect(Collectors.joining(",", "[", "]"));
    }
}
