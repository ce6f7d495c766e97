package dev.ocmirror.orchestrator.lifecycle;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * The lifecycle configuration's own constraints, beside the standard ones: an absolute path, and the rules between
 * the fields of one record that no field's annotation can say.
 */
public final class ConfigurationRules {

  private ConfigurationRules() {
  }

  /** A path on a host, which the service never resolves against a working directory it does not know. */
  @Constraint(validatedBy = AbsolutePathValidator.class)
  @Target(ElementType.FIELD)
  @Retention(RetentionPolicy.RUNTIME)
  @interface AbsolutePath {
    String message() default "must be an absolute path";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class AbsolutePathValidator implements ConstraintValidator<AbsolutePath, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      return value == null || value.startsWith("/");
    }
  }

  /** A record whose fields must agree with one another; each problem names its field. */
  interface Consistent {
    void check(Problems problems);
  }

  interface Problems {
    void add(String field, String message);
  }

  @Constraint(validatedBy = ConsistentValidator.class)
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @interface Checked {
    String message() default "is inconsistent";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class ConsistentValidator implements ConstraintValidator<Checked, Consistent> {
    @Override
    public boolean isValid(Consistent value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      List<String[]> found = new ArrayList<>();
      value.check((field, message) -> found.add(new String[] {field, message}));
      context.disableDefaultConstraintViolation();
      for (String[] problem : found) {
        context.buildConstraintViolationWithTemplate(literal(problem[1])).addPropertyNode(problem[0])
            .addConstraintViolation();
      }
      return found.isEmpty();
    }

    /** A message is a template to the validator: its braces and dollars would be read as expressions. */
    private static String literal(String message) {
      return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
    }
  }
}
