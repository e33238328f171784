package com.facecheck.local;

import com.facecheck.identity.CheckCharacter;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * People who do not exist, for the tests and the benchmarks: valid, distinct resident ID numbers, Chinese names
 * and portrait-like photos that compress like camera photos.
 */
public final class SyntheticPeople {

    private static final String FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁";
    private static final String GIVEN = "安白博晨达东方刚国海浩华佳建杰俊凯兰磊丽林玲敏明娜宁鹏琴秋荣瑞山涛婷伟文霞欣雪阳怡勇宇玉云振志";

    private SyntheticPeople() {
    }

    /** The n-th ID number, from a Xiamen region code. */
    public static String idNumber(int n) {
        String first17 = "350203" + LocalDate.of(1980, 1, 1).plusDays(n / 1000).toString().replace("-", "")
                + String.format("%03d", n % 1000);
        return first17 + CheckCharacter.of(first17);
    }

    /**
     * The n-th name: three characters for the first 110,592 (every family name with every two given ones), then a
     * fourth given character, so that the first five million are distinct; a soak of hours needs that many.
     */
    public static String name(int n) {
        int threeCharacterNames = FAMILY.length() * GIVEN.length() * GIVEN.length();
        String name = "" + FAMILY.charAt(n % FAMILY.length()) + GIVEN.charAt(n / FAMILY.length() % GIVEN.length())
                + GIVEN.charAt(n / (FAMILY.length() * GIVEN.length()) % GIVEN.length());
        int round = n / threeCharacterNames;
        return round == 0 ? name : name + GIVEN.charAt((round - 1) % GIVEN.length());
    }

    /**
     * A portrait-like picture (light background, a face-coloured oval) with per-pixel noise of up to
     * ±{@code noise} levels, so that it compresses like a camera photo rather than to almost nothing.
     */
    public static BufferedImage portrait(int width, int height, int noise, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(200, 210, 225));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(220, 180, 150));
        g.fillOval(width / 4, height / 5, width / 2, height / 2);
        g.dispose();
        SplittableRandom random = new SplittableRandom(seed);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                int delta = random.nextInt(2 * noise + 1) - noise;
                row[x] = shift(row[x], 16, delta) | shift(row[x], 8, delta) | shift(row[x], 0, delta);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    private static int shift(int rgb, int bits, int delta) {
        int channel = Math.max(0, Math.min(255, ((rgb >> bits) & 0xFF) + delta));
        return channel << bits;
    }

    /** An image or a bare raster (CMYK, which no colour model of the JDK holds) as a JPEG of that quality. */
    public static byte[] jpeg(IIOImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
