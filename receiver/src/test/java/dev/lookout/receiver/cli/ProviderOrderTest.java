package dev.lookout.receiver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderOrderTest {
    @Test
    void sunJceMovesToTheFrontAndEveryOtherProviderKeepsItsOrder() {
        assertEquals(List.of("SunJCE", "SUN", "SunRsaSign", "SunEC", "SunJSSE", "SunJGSS", "SunPKCS11"),
                ProviderOrder.sunJceFirst(List.of("SUN", "SunRsaSign", "SunEC", "SunJSSE", "SunJCE", "SunJGSS", "SunPKCS11")));
    }

    @Test
    void aProviderNamedByItsClassOrWithAnArgumentIsFoundToo() {
        assertEquals(List.of("com.sun.crypto.provider.SunJCE", "SUN"),
                ProviderOrder.sunJceFirst(List.of("SUN", "com.sun.crypto.provider.SunJCE")));
        assertEquals(List.of(" SunJCE arg", "SUN"), ProviderOrder.sunJceFirst(List.of("SUN", " SunJCE arg")));
    }

    @Test
    void aListWithoutSunJceOrWithItFirstStaysAsItIs() {
        assertEquals(List.of("SUN", "SunPKCS11 /etc/nss.cfg"), ProviderOrder.sunJceFirst(List.of("SUN", "SunPKCS11 /etc/nss.cfg")));
        assertEquals(List.of("SunJCE", "SUN"), ProviderOrder.sunJceFirst(List.of("SunJCE", "SUN")));
    }
}
