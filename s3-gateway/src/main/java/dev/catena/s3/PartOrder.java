package dev.catena.s3;

import java.io.ByteArrayInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Pure: whether a CompleteMultipartUpload document lists its parts out of order. S3 refuses such a
 * list with 400 {@code InvalidPartOrder}; a part number repeated next to itself is not out of order
 * (a re-sent part, the last entry wins as in s3proxy). A document this cannot read (not XML, a
 * number that is not an integer) is not judged here: s3proxy's own parser answers it.
 */
final class PartOrder {
  private static final XMLInputFactory XML = XMLInputFactory.newFactory();

  static {
    XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
  }

  private PartOrder() {}

  /** True if some {@code PartNumber} is lower than the one listed before it. */
  static boolean outOfOrder(byte[] completeMultipartUpload) {
    try {
      XMLStreamReader r =
          XML.createXMLStreamReader(new ByteArrayInputStream(completeMultipartUpload));
      try {
        long previous = Long.MIN_VALUE;
        while (r.hasNext()) {
          if (r.next() == XMLStreamConstants.START_ELEMENT
              && r.getLocalName().equals("PartNumber")) {
            long n = Long.parseLong(r.getElementText().strip());
            if (n < previous) {
              return true;
            }
            previous = n;
          }
        }
        return false;
      } finally {
        r.close();
      }
    } catch (XMLStreamException | NumberFormatException e) {
      return false;
    }
  }
}
