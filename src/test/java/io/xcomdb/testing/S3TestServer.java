package io.xcomdb.testing;

import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One S3 server for the test JVM: s3proxy in-process on a free loopback port, objects in memory. The credentials it
 * checks are set as the AWS SDK's system properties, so code under test finds them through the SDK's default chain,
 * as a user's would. Started on first use, stopped with the JVM.
 */
public final class S3TestServer {

  private static S3TestServer instance;

  private final URI endpoint;
  private final S3Client client;

  private S3TestServer() throws Exception {
    S3Proxy proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V4, "test-access", "test-secret").build();
    proxy.start();
    for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
      Thread.sleep(10);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    System.setProperty("aws.accessKeyId", "test-access");
    System.setProperty("aws.secretAccessKey", "test-secret");
    client = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1).build();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        client.close();
        proxy.stop();
      } catch (Exception e) {
        // the JVM is going anyway
      }
    }));
  }

  public static synchronized S3TestServer get() {
    if (instance == null) {
      try {
        instance = new S3TestServer();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the in-process S3 server: " + e, e);
      }
    }
    return instance;
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A client for setting up and checking buckets (path-style, us-east-1). */
  public S3Client client() {
    return client;
  }
}
