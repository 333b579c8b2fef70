package io.xcomdb.codec;

/**
 * Airflow could not store this value in the requested form. The message is the error Airflow (Python)
 * would raise, e.g. {@code TypeError: Object of type bytes is not JSON serializable}.
 */
public final class XComEncodingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String pythonType;
    private final String pythonMessage;

    public XComEncodingException(String pythonType, String pythonMessage) {
        super(pythonType + ": " + pythonMessage);
        this.pythonType = pythonType;
        this.pythonMessage = pythonMessage;
    }

    /** The Python exception class Airflow raises, e.g. {@code TypeError}. */
    public String pythonType() {
        return pythonType;
    }

    /** The Python exception message without the type. */
    public String pythonMessage() {
        return pythonMessage;
    }
}
