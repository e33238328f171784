package com.facecheck.app;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * The configuration's constraints: the Jakarta Bean Validation annotations on its records, checked by Hibernate
 * Validator, each violation said as a problem of its key.
 */
final class ConfigCheck {

    // The default message interpolator needs a Jakarta EL implementation; the messages here use plain parameters.
    private static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class).configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private ConfigCheck() {
    }

    /** Every violation in a built configuration, in key order. */
    static List<ConfigProblem> problems(WorkerConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (ConstraintViolation<WorkerConfig> violation : VALIDATOR.validate(config)) {
            String key = key(violation.getPropertyPath());
            Object value = violation.getInvalidValue();
            String shown = absent(value) ? null : ConfigKeys.key(key).filter(k -> k.kind().echoes())
                    .map(k -> k.kind().write().apply(value).asText()).orElse(null);
            problems.add(new ConfigProblem(key, shown, null, message(key, violation, value)));
        }
        problems.sort(Comparator.comparing(ConfigProblem::key));
        return problems;
    }

    /** What is wrong with one key's value, checked before the record that holds it is built; empty when nothing. */
    static List<String> problems(ConfigKeys.Key key, Object value) {
        Object checked = key.entry() == null ? value : value == null ? Map.of() : Map.of(key.entry(), value);
        Collection<? extends ConstraintViolation<?>> violations = VALIDATOR.validateValue(key.owner(), key.component(),
                checked);
        return violations.stream().map(v -> message(key.path(), v, value)).sorted().toList();
    }

    private static String message(String key, ConstraintViolation<?> violation, Object value) {
        Annotation constraint = violation.getConstraintDescriptor().getAnnotation();
        if (absent(value) && (constraint instanceof NotNull || constraint instanceof NotBlank)) {
            return ConfigKeys.key(key).map(k -> "is not set: give it in the configuration file, as "
                    + k.environmentVariable() + ", or with --set " + key + "=…").orElse("is not set");
        }
        return violation.getMessage();
    }

    private static boolean absent(Object value) {
        return value == null || value instanceof String text && text.isBlank();
    }

    /** {@code provider.retry.maxAttempts} is {@code provider.retry.max-attempts}; a map entry is its enum's label. */
    private static String key(Path path) {
        List<String> names = new ArrayList<>();
        for (Path.Node node : path) {
            if (node.getKey() instanceof Enum<?> entry) {
                names.add(ConfigValues.label(entry));
            }
            if (node.getName() != null && !node.getName().startsWith("<")) {
                names.add(ConfigKeys.kebab(node.getName()));
            }
        }
        return String.join(".", names);
    }
}
