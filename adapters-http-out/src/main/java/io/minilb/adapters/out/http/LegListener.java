package io.minilb.adapters.out.http;

import java.nio.ByteBuffer;

/** Reads one leg's response. Called on the leg's IO thread, one event at a time. */
interface LegListener {

    /** The status line and headers arrived. */
    void onHead(int status, String contentType);

    /** Part of the body; the listener consumes all of it before returning. */
    void onData(ByteBuffer chunk);

    /** The response ended normally. */
    void onEnd();

    /** The leg failed or was cancelled before its response ended. */
    void onFailure(Exception error);
}
