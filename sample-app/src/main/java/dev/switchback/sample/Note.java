package dev.switchback.sample;

/**
 * One row of the notes table as the app sees it; columns added by later migrations are ignored.
 *
 * @param id   id, the identity the database assigned
 * @param body body, the text of the note; null only if a migration made the column nullable
 */
record Note(long id, String body) {

    /** Renders the note as a JSON object. */
    String toJson() {
        return "{\"id\":" + id + ",\"body\":" + Json.quote(body) + "}";
    }
}
