package com.facecheck.app;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration's keys, read from the records that hold them: every component of {@link WorkerConfig} and of
 * its sections is a key named in kebab case ({@code provider.retry.max-attempts}). The loader, the environment
 * variables, the printed configuration and the documentation all follow this one list, so a component added to a
 * record is a key everywhere at once.
 */
final class ConfigKeys {

    static final String ENVIRONMENT_PREFIX = "FACECHECK_";
    static final String KAFKA_ENVIRONMENT_PREFIX = "KAFKA_";

    /** A key, or a group of keys. */
    sealed interface Node permits Group, Key {
        String path();

        /** The last part of the path: the name within its group. */
        default String name() {
            return path().substring(path().lastIndexOf('.') + 1);
        }
    }

    /** A record of keys (the root, a section such as {@code provider}, {@code provider.retry}), or a map keyed by an enum. */
    record Group(String path, Class<?> type, List<Node> children) implements Node {

        Optional<Node> child(String name) {
            return children.stream().filter(c -> c.name().equals(name)).findFirst();
        }

        boolean isEnumMap() {
            return type.isEnum();
        }
    }

    /**
     * One value, or the Kafka properties (a map passed through to the clients).
     *
     * @param owner     the record whose component holds the value
     * @param component that component's name
     * @param entry     for an entry of a map keyed by an enum ({@code topics.results.verified}), its constant
     * @param notNull   whether the component must have a value: a key without a default is then required
     */
    record Key(String path, Class<?> owner, String component, Class<?> type, Enum<?> entry, boolean notNull)
            implements Node {

        boolean isKafkaProperties() {
            return type == Map.class;
        }

        ConfigValues.Kind kind() {
            return ConfigValues.kind(type);
        }

        String environmentVariable() {
            return isKafkaProperties() ? KAFKA_ENVIRONMENT_PREFIX + "<NAME>" : ConfigKeys.environmentVariable(path);
        }

        Object defaultValue() {
            return get(WorkerConfig.DEFAULTS, path);
        }

        boolean required() {
            return notNull && defaultValue() == null;
        }
    }

    static final Group ROOT = group("", WorkerConfig.class);
    private static final List<Key> KEYS = keys(ROOT, new ArrayList<>());

    private ConfigKeys() {
    }

    /** Every key, in the order of the records. */
    static List<Key> all() {
        return KEYS;
    }

    static Optional<Key> key(String path) {
        return KEYS.stream().filter(k -> k.path().equals(path)).findFirst();
    }

    /** The environment variable of a key: the path upper-cased, '.' and '-' as '_', after FACECHECK_. */
    static String environmentVariable(String path) {
        return ENVIRONMENT_PREFIX + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** A Kafka property from its variable: {@code KAFKA_SECURITY_PROTOCOL} is {@code security.protocol}. */
    static String kafkaProperty(String variable) {
        return variable.substring(KAFKA_ENVIRONMENT_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The value at {@code path} below {@code from}, through record components and enum-keyed map entries. */
    static Object get(Object from, String path) {
        Object value = from;
        for (String name : path.split("\\.")) {
            if (value == null) {
                return null;
            }
            if (value instanceof Map<?, ?> map) {
                value = map.entrySet().stream().filter(e -> ConfigValues.label((Enum<?>) e.getKey()).equals(name))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
            } else {
                value = read(component(value.getClass(), name), value);
            }
        }
        return value;
    }

    /**
     * A copy of {@code record} with the component at {@code path} (a key, a section, or {@code secrets}) replaced.
     *
     * @throws IllegalArgumentException naming a path that is not there, or a value of another type
     */
    static <R extends Record> R with(R record, String path, Object value) {
        return replace(record, "", path, value);
    }

    @SuppressWarnings("unchecked")
    private static <R extends Record> R replace(R record, String above, String path, Object value) {
        int dot = path.indexOf('.');
        String name = dot < 0 ? path : path.substring(0, dot);
        RecordComponent[] components = record.getClass().getRecordComponents();
        RecordComponent replaced = component(record.getClass(), name);
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = read(components[i], record);
            if (components[i].getName().equals(replaced.getName())) {
                String here = above + name;
                args[i] = dot < 0 ? requireType(here, replaced, value)
                        : replace(section(here, args[i]), here + ".", path.substring(dot + 1), value);
            }
        }
        return (R) construct(record.getClass(), args);
    }

    /**
     * A record from its components' values, in order; a check in its constructor fails with its own message.
     *
     * @throws IllegalArgumentException from the record's own checks
     */
    static Object construct(Class<?> type, Object[] args) {
        Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException thrown) {
                throw thrown;
            }
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    /** An enum-keyed map from its entries' values, in constant order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Map<?, ?> enumMap(Class<?> type, Map<Enum<?>, Object> entries) {
        EnumMap map = new EnumMap(type);
        map.putAll(entries);
        return map;
    }

    /**
     * The candidate nearest to what was given, by edit distance, when it is near enough to be what was meant; else
     * one that ends in the same name ({@code per-id} given at the top is {@code caps.per-id}).
     */
    static Optional<String> nearest(String given, Collection<String> candidates) {
        Optional<String> closest = candidates.stream().min(Comparator.comparingInt(c -> distance(given, c)));
        if (closest.isPresent() && distance(given, closest.get()) <= Math.max(2, given.length() / 3)) {
            return closest;
        }
        String last = given.substring(given.lastIndexOf('.') + 1);
        return candidates.stream().filter(c -> c.endsWith("." + last)).findFirst();
    }

    /** The deepest group that {@code path} lies in: {@code caps} for {@code caps.per_id}. */
    static Group enclosingGroup(String path) {
        Group group = ROOT;
        for (String name : path.split("\\.")) {
            Optional<Node> child = group.child(name);
            if (child.isEmpty() || !(child.get() instanceof Group inner)) {
                return group;
            }
            group = inner;
        }
        return group;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Group group(String path, Class<?> type) {
        List<Node> children = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            if (component.getType() == Secrets.class) {
                continue; // never a key: secrets come from the environment or files only
            }
            String childPath = path.isEmpty() ? kebab(component.getName()) : path + "." + kebab(component.getName());
            Class<?> childType = component.getType();
            boolean notNull = component.getAccessor().isAnnotationPresent(NotNull.class)
                    || component.getAccessor().isAnnotationPresent(NotBlank.class);
            if (childType == Map.class) {
                Type[] kv = ((ParameterizedType) component.getGenericType()).getActualTypeArguments();
                Class<?> keyType = (Class<?>) kv[0];
                children.add(keyType.isEnum() ? enumGroup(childPath, type, component, keyType, (Class<?>) kv[1])
                        : new Key(childPath, type, component.getName(), Map.class, null, notNull));
            } else if (ConfigValues.isValue(childType)) {
                children.add(new Key(childPath, type, component.getName(), childType, null, notNull));
            } else if (childType.isRecord()) {
                children.add(group(childPath, childType));
            } else {
                throw new IllegalStateException(type.getSimpleName() + "." + component.getName() + " is neither a"
                        + " value nor a record of keys");
            }
        }
        return new Group(path, type, List.copyOf(children));
    }

    private static Group enumGroup(String path, Class<?> owner, RecordComponent component, Class<?> keyType,
                                   Class<?> valueType) {
        List<Node> entries = new ArrayList<>();
        for (Object constant : keyType.getEnumConstants()) {
            Enum<?> entry = (Enum<?>) constant;
            entries.add(new Key(path + "." + ConfigValues.label(entry), owner, component.getName(), valueType, entry,
                    false));
        }
        return new Group(path, keyType, List.copyOf(entries));
    }

    private static List<Key> keys(Group group, List<Key> into) {
        for (Node child : group.children()) {
            if (child instanceof Key key) {
                into.add(key);
            } else {
                keys((Group) child, into);
            }
        }
        return List.copyOf(into);
    }

    private static RecordComponent component(Class<?> type, String name) {
        return Arrays.stream(type.getRecordComponents()).filter(c -> kebab(c.getName()).equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(type.getSimpleName() + " has no key '" + name
                        + "'; it has " + Arrays.stream(type.getRecordComponents())
                        .map(c -> kebab(c.getName())).toList()));
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }

    private static Record section(String path, Object value) {
        if (value instanceof Record record) {
            return record;
        }
        throw new IllegalArgumentException(path + ": only whole values, or keys of records, can be replaced here");
    }

    private static Object requireType(String path, RecordComponent component, Object value) {
        Class<?> type = MethodType.methodType(component.getType()).wrap().returnType(); // int is Integer
        if (value != null && !type.isInstance(value)) {
            throw new IllegalArgumentException(path + " takes a " + component.getType().getSimpleName() + ", not a "
                    + value.getClass().getSimpleName());
        }
        return value;
    }

    /** Keys by environment variable, for reading the environment. */
    static Map<String, Key> byEnvironmentVariable() {
        Map<String, Key> byVariable = new LinkedHashMap<>();
        KEYS.stream().filter(k -> !k.isKafkaProperties()).forEach(k -> byVariable.put(k.environmentVariable(), k));
        return byVariable;
    }
}
