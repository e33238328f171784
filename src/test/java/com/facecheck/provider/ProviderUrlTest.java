package com.facecheck.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ProviderUrlTest {

    @Test
    void aGoodUrlIsKeptWithItsPort() {
        ProviderUrl url = ProviderUrl.of(" https://api.example.cn:8443/v2 ");
        assertThat(url).hasToString("https://api.example.cn:8443/v2");
        assertThat(url.host()).isEqualTo("api.example.cn");
        assertThat(url.port()).isEqualTo(8443);
        assertThat(ProviderUrl.of("HTTPS://api.example.cn").port()).isEqualTo(443);
        assertThat(ProviderUrl.of("http://127.0.0.1").port()).isEqualTo(80);
    }

    @Test
    void anotherSchemeIsRefusedSayingWhichOnesWork() {
        assertThatThrownBy(() -> ProviderUrl.of("ftp://api.example.cn"))
                .hasMessage("the provider URL 'ftp://api.example.cn' must start with http:// or https://, as in"
                        + " https://host[:port]");
        assertThatThrownBy(() -> ProviderUrl.of("api.example.cn")).hasMessageContaining("must start with http://");
    }

    @Test
    void aQueryOrFragmentIsRefusedBecauseTheCallsPathWouldFollowIt() {
        for (String url : new String[] {"https://api.example.com/?region=cn", "https://api.example.com/#top"}) {
            assertThatThrownBy(() -> ProviderUrl.of(url)).as(url).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("query or fragment").hasMessageContaining("base URL only");
        }
    }

    @Test
    void aUrlWithoutAHostIsRefused() {
        assertThatThrownBy(() -> ProviderUrl.of("https:///facecheck")).hasMessageContaining("has no host");
        assertThatThrownBy(() -> ProviderUrl.of("https:api.example.cn")).hasMessageContaining("has no host");
        // java.net.URI reads no host where a name has an underscore; the message says what a host name may hold.
        assertThatThrownBy(() -> ProviderUrl.of("http://my_gateway:8080")).hasMessageContaining("has no host")
                .hasMessageContaining("letters, digits, '-' and '.'");
    }

    @Test
    void aUrlThatDoesNotParseIsRefusedWithTheReason() {
        assertThatThrownBy(() -> ProviderUrl.of("https://api example.cn"))
                .hasMessageStartingWith("the provider URL 'https://api example.cn' is not a URL (Illegal character")
                .hasMessageEndingWith("give one such as https://host[:port]");
    }

    @Test
    void aUserNameAndPasswordAreRefusedAndNeverQuoted() {
        assertThatThrownBy(() -> ProviderUrl.of("https://alice:s3cret@api.example.cn/v2"))
                .hasMessageContaining("'https://…@api.example.cn/v2' carries a user name or password")
                .hasMessageContaining(Credentials.APPCODE_ENV)
                .message().doesNotContain("alice").doesNotContain("s3cret");
        assertThatThrownBy(() -> new ProviderUrl(URI.create("http://alice@127.0.0.1:8088")))
                .hasMessageContaining("carries a user name");
        // Whatever else is wrong with it, the password stays out of the message.
        assertThatThrownBy(() -> ProviderUrl.of("ftp://alice:s3cret@host")).message().doesNotContain("s3cret");
        assertThatThrownBy(() -> ProviderUrl.of("https://alice:s3cret@api example.cn")).message()
                .contains("is not a URL").doesNotContain("s3cret");
        assertThatThrownBy(() -> ProviderUrl.of("http:alice:s3cret@host")).message().doesNotContain("s3cret");
    }
}
