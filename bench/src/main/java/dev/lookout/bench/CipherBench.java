package dev.lookout.bench;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One of the JDK's AEADs on an image-sized buffer, in a fresh JVM: the first call, provider start-up
 * included (what a per-connection receiver pays), and the mean of the last 100 of 300 (a warm
 * batch). {@code bench/run cipher} runs each AEAD with the launcher's C1-only flag and with the
 * default JIT, one JVM each.
 */
public final class CipherBench {
    private static final int IMAGE_BYTES = 124_000;
    private static final int CALLS = 300;

    private CipherBench() {
    }

    public static void main(String[] args) throws GeneralSecurityException {
        String algorithm = args[0];
        String jit = args[1];
        byte[] image = new byte[IMAGE_BYTES];
        byte[] key = new byte[32];
        double first = 0;
        double warm = 0;
        for (int i = 0; i < CALLS; i++) {
            byte[] nonce = new byte[12];
            nonce[0] = (byte) i;
            nonce[1] = (byte) (i >> 8);
            long start = System.nanoTime();
            boolean chacha = algorithm.startsWith("ChaCha");
            Cipher cipher = Cipher.getInstance(algorithm);
            AlgorithmParameterSpec params = chacha ? new IvParameterSpec(nonce) : new GCMParameterSpec(128, nonce);
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, chacha ? "ChaCha20" : "AES"), params);
            cipher.updateAAD(new byte[80]);
            cipher.doFinal(image);
            double ms = (System.nanoTime() - start) / 1e6;
            if (i == 0) {
                first = ms;
            } else if (i >= CALLS - 100) {
                warm += ms / 100;
            }
        }
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f ms | %.2f ms |%n", algorithm, jit, first, warm);
    }
}
