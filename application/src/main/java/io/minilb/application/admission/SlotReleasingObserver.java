package io.minilb.application.admission;

import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.GenerationObserver;

/** Passes every event on, and frees the request's admission slot once its outcome has been passed on. */
final class SlotReleasingObserver implements GenerationObserver {

    private final GenerationObserver client;
    private final Runnable releaseSlot;

    SlotReleasingObserver(GenerationObserver client, Runnable releaseSlot) {
        this.client = client;
        this.releaseSlot = releaseSlot;
    }

    @Override
    public void onResponse(int status, String contentType, byte[] body) {
        try {
            client.onResponse(status, contentType, body);
        } finally {
            releaseSlot.run();
        }
    }

    @Override
    public void onDispatched() {
        client.onDispatched();
    }

    @Override
    public void onRouted(String prefillUrl, String decodeUrl, int attempt) {
        client.onRouted(prefillUrl, decodeUrl, attempt);
    }

    @Override
    public void onStreamStart() {
        client.onStreamStart();
    }

    @Override
    public void onFrame(byte[] frame) {
        client.onFrame(frame);
    }

    @Override
    public void onStreamEnd() {
        try {
            client.onStreamEnd();
        } finally {
            releaseSlot.run();
        }
    }

    @Override
    public void onFailure(GenerationFailure failure) {
        try {
            client.onFailure(failure);
        } finally {
            releaseSlot.run();
        }
    }
}
