package dev.savepoints.query.web;

/** A request parameter that cannot be used; answered with 400 and the parameter's name. */
public class BadParameter extends RuntimeException {

    private final String parameter;

    public BadParameter(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
