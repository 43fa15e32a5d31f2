package dev.switchback.releaseapi.release;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.switchback.events.EventCodec;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.io.IOException;
import java.util.List;

/** Stores a release's conditions as a JSON array in one column: they are read and written with the release. */
@Converter
public class ConditionsConverter implements AttributeConverter<List<Condition>, String> {

    private static final TypeReference<List<Condition>> LIST = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(List<Condition> conditions) {
        return EventCodec.toJson(conditions == null ? List.of() : conditions);
    }

    @Override
    public List<Condition> convertToEntityAttribute(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return List.copyOf(EventCodec.mapper().readValue(json, LIST));
        } catch (IOException e) {
            throw new IllegalStateException("stored conditions are unreadable: " + e.getMessage(), e);
        }
    }
}
