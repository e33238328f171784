package com.facecheck.simulator;

/** The gateway's per-second flow control, as a fixed one-second window. */
final class FlowControl {

    private long windowSecond = -1;
    private int calls;

    synchronized boolean admit(int perSecond) {
        long second = System.currentTimeMillis() / 1000;
        if (second != windowSecond) {
            windowSecond = second;
            calls = 0;
        }
        return ++calls <= perSecond;
    }
}
