package com.facecheck.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version this build was made as, from a resource Maven writes at build time, so classes and jar agree. */
public final class BuildVersion {

    private static final String RESOURCE = "/facecheck-version.properties";

    private BuildVersion() {
    }

    /** e.g. {@code 0.1.0-SNAPSHOT}; fails when the build left the resource out, which no build should. */
    public static String current() {
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: build with Maven (./mvnw package)");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }
}
