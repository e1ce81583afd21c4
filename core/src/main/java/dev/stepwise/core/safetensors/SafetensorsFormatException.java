package dev.stepwise.core.safetensors;

import java.io.IOException;

/** A safetensors file or index whose content does not follow the format; the message names the file and the field. */
public class SafetensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
