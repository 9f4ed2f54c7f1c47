package dev.catena.deploy.cli;

import dev.catena.client.Bucket;
import dev.catena.client.CatenaClient;
import dev.catena.client.ListOptions;
import dev.catena.client.ObjectContent;
import dev.catena.client.ObjectListing;
import dev.catena.client.ObjectMetadata;
import dev.catena.client.ObjectSummary;
import dev.catena.client.PutOptions;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The object and bucket commands of the CLI: mb, rb, put, get, head/stat, rm, ls. */
final class ObjectCommands {
  private ObjectCommands() {}

  /** Wraps a stream in a progress bar when stdout/stderr is a terminal. */
  static InputStream withProgress(InputStream in, String task, long size) {
    if (System.console() == null || size < (1 << 20)) {
      return in;
    }
    return ProgressBar.wrap(
        in, new ProgressBarBuilder().setTaskName(task).setInitialMax(size).setUnit("MiB", 1 << 20));
  }

  @Command(name = "mb", description = "Make a bucket.")
  static final class MakeBucket implements Callable<Integer> {
    @Mixin ClientOptions opts;

    @Parameters(paramLabel = "BUCKET")
    String bucket;

    @Override
    public Integer call() {
      try (CatenaClient c = opts.connect()) {
        c.createBucket(bucket);
      }
      System.out.println("bucket " + bucket + " created");
      return 0;
    }
  }

  @Command(name = "rb", description = "Remove an empty bucket.")
  static final class RemoveBucket implements Callable<Integer> {
    @Mixin ClientOptions opts;

    @Parameters(paramLabel = "BUCKET")
    String bucket;

    @Override
    public Integer call() {
      try (CatenaClient c = opts.connect()) {
        c.deleteBucket(bucket);
      }
      System.out.println("bucket " + bucket + " removed");
      return 0;
    }
  }

  @Command(name = "put", description = "Store FILE (or stdin with '-') as BUCKET/KEY.")
  static final class Put implements Callable<Integer> {
    @Mixin ClientOptions opts;

    @Parameters(index = "0", paramLabel = "BUCKET/KEY")
    String target;

    @Parameters(index = "1", paramLabel = "FILE|-")
    String file;

    @Option(
        names = "--content-type",
        defaultValue = "application/octet-stream",
        description = "media type stored with the object (default ${DEFAULT-VALUE})")
    String contentType;

    @Override
    public Integer call() throws IOException {
      String[] bk = ClientOptions.bucketAndKey(target, true);
      boolean stdin = file.equals("-");
      if (!stdin && !Files.exists(Path.of(file))) {
        throw CliException.invalid("no such file " + file);
      }
      if (!stdin && !Files.isRegularFile(Path.of(file))) {
        throw CliException.invalid("not a regular file " + file);
      }
      long size = stdin ? -1 : Files.size(Path.of(file));
      try (CatenaClient c = opts.connect();
          InputStream raw =
              stdin ? new BufferedInputStream(System.in) : Files.newInputStream(Path.of(file));
          InputStream in = withProgress(raw, "put " + target, size)) {
        ObjectMetadata m = c.putObject(bk[0], bk[1], in, size, PutOptions.contentType(contentType));
        System.out.printf("%s/%s %d bytes etag %s%n", m.bucket(), m.key(), m.size(), m.etag());
      }
      return 0;
    }
  }

  @Command(
      name = "get",
      description = "Fetch BUCKET/KEY into FILE (or stdout with '-' or no FILE).")
  static final class Get implements Callable<Integer> {
    @Mixin ClientOptions opts;

    @Parameters(index = "0", paramLabel = "BUCKET/KEY")
    String source;

    @Parameters(index = "1", paramLabel = "FILE|-", arity = "0..1")
    String file;

    @Option(
        names = "--range",
        converter = ByteRange.Converter.class,
        description = "bytes to fetch, as in HTTP: START-END (inclusive), START- or -SUFFIX_LENGTH")
    ByteRange range;

    @Override
    public Integer call() throws IOException {
      String[] bk = ClientOptions.bucketAndKey(source, true);
      boolean stdout = file == null || file.equals("-");
      try (CatenaClient c = opts.connect()) {
        ObjectContent content;
        if (range != null) {
          long size = range.isSuffix() ? c.headObject(bk[0], bk[1]).size() : 0;
          content = c.getObject(bk[0], bk[1], range.offset(size), range.length());
        } else {
          content = c.getObject(bk[0], bk[1]);
        }
        try (content;
            InputStream in = withProgress(content.stream(), "get " + source, content.length());
            OutputStream out = stdout ? System.out : Files.newOutputStream(Path.of(file))) {
          in.transferTo(out);
          out.flush();
        }
      }
      return 0;
    }
  }

  @Command(name = "head", aliases = "stat", description = "Show an object's metadata.")
  static final class Head implements Callable<Integer> {
    @Mixin ClientOptions opts;

    @Parameters(paramLabel = "BUCKET/KEY")
    String target;

    @Override
    public Integer call() {
      String[] bk = ClientOptions.bucketAndKey(target, true);
      try (CatenaClient c = opts.connect()) {
        ObjectMetadata m = c.headObject(bk[0], bk[1]);
        System.out.printf(
            "bucket:       %s%nkey:          %s%nsize:         %d%netag:         %s%n"
                + "content-type: %s%nversion:      %s%nchunks:       %d%ncreated:      %s%n",
            m.bucket(),
            m.key(),
            m.size(),
            m.etag(),
            m.contentType(),
            m.versionId(),
            m.chunkCount(),
            Instant.ofEpochMilli(m.createdAtMillis()));
        m.userMetadata().forEach((k, v) -> System.out.printf("meta %s: %s%n", k, v));
      }
      return 0;
    }
  }

  @Command(name = "rm", description = "Delete BUCKET/KEY.")
  static final class Remove implements Callable<Integer> {
    @Mixin ClientOptions opts;

    @Parameters(paramLabel = "BUCKET/KEY")
    String target;

    @Override
    public Integer call() {
      String[] bk = ClientOptions.bucketAndKey(target, true);
      try (CatenaClient c = opts.connect()) {
        c.deleteObject(bk[0], bk[1]);
      }
      System.out.println("deleted " + target);
      return 0;
    }
  }

  @Command(name = "ls", description = "List buckets, or the objects of BUCKET[/PREFIX].")
  static final class List implements Callable<Integer> {
    @Mixin ClientOptions opts;

    @Parameters(paramLabel = "BUCKET[/PREFIX]", arity = "0..1")
    String target;

    @Override
    public Integer call() {
      try (CatenaClient c = opts.connect()) {
        if (target == null) {
          for (Bucket b : c.listBuckets()) {
            System.out.printf("%s  %s%n", Instant.ofEpochMilli(b.createdAtMillis()), b.name());
          }
          return 0;
        }
        String[] bp = ClientOptions.bucketAndKey(target, false);
        ListOptions page = ListOptions.prefix(bp[1]);
        while (true) {
          ObjectListing l = c.listObjects(bp[0], page);
          for (ObjectSummary o : l.objects()) {
            System.out.printf(
                "%s %12d  %s%n", Instant.ofEpochMilli(o.createdAtMillis()), o.size(), o.key());
          }
          if (!l.truncated()) {
            return 0;
          }
          page = page.next(l);
        }
      }
    }
  }
}
