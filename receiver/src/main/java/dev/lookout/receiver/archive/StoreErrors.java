package dev.lookout.receiver.archive;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An object store's refusal or absence as one line and an exit status: 75 (try again later) when
 * waiting may mend it — the store unreachable or busy, this machine's clock off — and 78 when the
 * configuration must change: credentials, bucket, region, endpoint.
 */
final class StoreErrors {
    private StoreErrors() {
    }

    static Failure failure(SdkException e, Target target) {
        if (!(e instanceof AwsServiceException refused)) {
            return new Failure(Sysexit.TEMPFAIL, "cannot reach " + target + ": " + firstLine(rootCause(e)));
        }
        int status = refused.statusCode();
        String code = refused.awsErrorDetails() == null || refused.awsErrorDetails().errorCode() == null ? ""
                : refused.awsErrorDetails().errorCode();
        String answer = target + " answered " + status + (code.isEmpty() ? "" : " " + code);
        return switch (code) {
            case "RequestTimeTooSkewed" -> new Failure(Sysexit.TEMPFAIL,
                    answer + ": this machine's clock is off; set it right (timedatectl) and archive again");
            case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken" -> new Failure(
                    Sysexit.CONFIG, answer + ": the access key or secret key in the credentials file is wrong");
            case "AccessDenied" -> new Failure(Sysexit.CONFIG, answer
                    + ": the credentials need s3:ListBucket, s3:PutObject and s3:GetObject on the bucket");
            case "NoSuchBucket" -> new Failure(Sysexit.CONFIG, answer + ": there is no such bucket; create it first");
            case "AuthorizationHeaderMalformed", "PermanentRedirect", "IllegalLocationConstraintException" -> new Failure(
                    Sysexit.CONFIG, answer + ": check the region and endpoint (s3-region, s3-endpoint, s3-path-style)");
            default -> new Failure(status >= 500 || status == 429 || status == 408 ? Sysexit.TEMPFAIL : Sysexit.CONFIG,
                    answer + (status >= 500 ? ": the store is not well; archive again later" : ""));
        };
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String firstLine(Throwable e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
