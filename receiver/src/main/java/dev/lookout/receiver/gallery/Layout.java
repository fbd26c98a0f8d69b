package dev.lookout.receiver.gallery;

/** Where the gallery keeps its own files in the image root: the hidden {@value #DIR} folder. */
public final class Layout {
    /** The gallery's own folder in the image root. */
    public static final String DIR = ".gallery";
    /** Thumbnails: {@code <camera>/<day>/<name>.jpg} below. */
    static final String THUMBS = DIR + "/thumbs";
    /** Day pages: {@code <camera>/<day>.html} below. */
    static final String PAGES = DIR + "/pages";

    private Layout() {
    }
}
