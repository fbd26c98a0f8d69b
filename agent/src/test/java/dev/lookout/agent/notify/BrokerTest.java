package dev.lookout.agent.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BrokerTest {
    @Test
    void defaultPortsPerScheme() {
        assertEquals("tcp://homeassistant.local:1883", Broker.parse("mqtt://homeassistant.local", null, null, null).serverUri());
        assertEquals("ssl://broker:8883", Broker.parse("mqtts://broker/", null, null, null).serverUri());
        assertEquals("tcp://[::1]:1884", Broker.parse("mqtt://[::1]:1884", null, null, null).serverUri());
    }

    @Test
    void thePasswordIsNeverShown() {
        Broker broker = Broker.parse("mqtt://hass:1883", null, "cam", "s3cret".toCharArray());
        assertEquals("mqtt://hass:1883 (user cam, password ***)", broker.shown());
        assertEquals(broker.shown(), broker.toString());
    }

    @Test
    void otherFormsAreRefusedWithTheirReason() {
        for (String url : new String[] {"tcp://hass:1883", "hass:1883", "mqtt://user:pw@hass", "mqtt://hass/topic", "mqtt://"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Broker.parse(url, null, null, null));
            assertEquals("--mqtt must be mqtt://HOST[:PORT] or mqtts://HOST[:PORT], got '" + url + "'", e.getMessage());
        }
        assertEquals("--mqtt-ca needs an mqtts:// broker", assertThrows(IllegalArgumentException.class,
                () -> Broker.parse("mqtt://hass", Path.of("ca.pem"), null, null)).getMessage());
    }
}
